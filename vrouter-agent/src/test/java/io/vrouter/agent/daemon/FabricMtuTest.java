package io.vrouter.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.NetworkInterface;

import org.junit.jupiter.api.Test;

/**
 * In controller mode the daemon programs the fabric interface with the underlay's MTU as the kernel has it (tunnels'
 * path MTU and the MSS clamp follow from it), never more than the forwarder's largest frame; an interface that is not
 * there gets 1,500.
 */
class FabricMtuTest
{
    @Test
    void takesTheKernelsMtuUpToTheLargestFrame() throws Exception
    {
        final int lo = NetworkInterface.getByName("lo").getMTU();
        assertEquals(Math.min(lo, 65535), Daemon.fabricMtu("lo", 1 << 20), "the loopback's own MTU");
        assertEquals(10240 - 14, Daemon.fabricMtu("lo", 10240), "no more than a frame of 10,240 bytes carries");
    }

    @Test
    void fallsBackTo1500WithoutTheInterface()
    {
        assertEquals(1500, Daemon.fabricMtu("vr-missing0", 10240));
    }
}
