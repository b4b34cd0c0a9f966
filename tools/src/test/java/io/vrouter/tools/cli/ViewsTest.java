package io.vrouter.tools.cli;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;
import static io.vrouter.core.fib.RouteFlags.ARP_PROXY;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.testing.TestTopology;

/**
 * The combined view shows what was programmed and what the forwarder counted.
 */
class ViewsTest
{
    @Test
    void shouldShowProgrammedStateAndCounters()
    {
        final TestTopology t = new TestTopology()
            .vif(3, VifType.VIRTUAL, 1, GATEWAY_MAC, 9000, 0)
            .encapNh(10, 2, 3, 0x02000000000aL, GATEWAY_MAC, NextHopFlags.VALID)
            .route4(1, 0x0A010103, 32, 10, -1, ARP_PROXY)
            .label(16, 10);
        t.send(3, new byte[10]);
        final String text = Views.all(t.vrouter());
        assertTrue(text.contains("vif0/3      OS: vif3 NH: 0"), text);
        assertTrue(text.contains("Id:10         Type:Encap"), text);
        assertTrue(text.contains("vRouter inet4 routing table 0/1/unicast"), text);
        assertTrue(text.contains("10.1.1.3/32             32            P          -             10        -"), text);
        assertTrue(text.contains("      16        10"), text);
        assertTrue(text.contains("Pull Fails                    1"), text);
    }
}
