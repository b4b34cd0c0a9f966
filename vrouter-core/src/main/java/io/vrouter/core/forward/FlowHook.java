package io.vrouter.core.forward;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where the forwarder asks for a flow decision when the ingress interface or the chosen next hop
 * carries the policy flag (reference §2.2). The policy module provides the real implementation;
 * without one, such packets are dropped and counted as {@code Flow Unusable}, never forwarded
 * unchecked.
 */
public interface FlowHook
{
    /** Forward the packet. */
    int FORWARD = 0;
    /** Drop it; the hook has counted the reason through its return value's caller. */
    int DROP = 1;

    /** The hook used when no policy module is installed: every flow-requiring packet is refused. */
    FlowHook NONE = (buffer, l3Offset, ipVersion, keyNhId, vrf) -> DROP;

    /**
     * Decides a packet that needs a flow.
     *
     * @param buffer    packet buffer.
     * @param l3Offset  offset of the IP header.
     * @param ipVersion 4 or 6.
     * @param keyNhId   the next-hop id that stands for the VRF in the flow key.
     * @param vrf       the VRF.
     * @return {@link #FORWARD} or {@link #DROP}.
     */
    int decide(UnsafeBuffer buffer, int l3Offset, int ipVersion, int keyNhId, int vrf);
}
