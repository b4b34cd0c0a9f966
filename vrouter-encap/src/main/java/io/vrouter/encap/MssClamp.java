package io.vrouter.encap;

import io.vrouter.wire.TcpHeader;
import org.agrona.MutableDirectBuffer;

/**
 * TCP MSS adjustment on SYNs so that segments fit the tunnel (Contrail's {@code vr_from_vm_mss_adj} /
 * {@code vr_to_vm_mss_adj}): MSS &lt;= egress MTU - tunnel overhead - inner IP header - TCP header.
 * Allocation-free; only an existing MSS option is lowered, never added.
 */
public final class MssClamp
{
    private MssClamp()
    {
    }

    /**
     * Largest MSS for a path.
     *
     * @param mtu              egress (fabric) MTU.
     * @param overlayOverhead  tunnel bytes counted against the MTU (e.g. outer IP + UDP + MPLS = 32).
     * @param ipHeaderLength   inner IP header length (20 for IPv4, 40 for IPv6).
     * @return the MSS bound.
     */
    public static int maxMss(final int mtu, final int overlayOverhead, final int ipHeaderLength)
    {
        return mtu - overlayOverhead - ipHeaderLength - TcpHeader.MIN_LENGTH;
    }

    /**
     * Lower the MSS option of a SYN (or SYN-ACK) to {@code maxMss}, patching the TCP checksum incrementally.
     *
     * @param buffer    holding the segment.
     * @param tcpOffset offset of the TCP header.
     * @param tcpLength bytes of the segment available (header + payload).
     * @param maxMss    upper bound.
     * @return the MSS now in the segment, or -1 if the segment is not a SYN or has no (well-formed) MSS option.
     */
    public static int clamp(
        final MutableDirectBuffer buffer, final int tcpOffset, final int tcpLength, final int maxMss)
    {
        if (tcpLength < TcpHeader.MIN_LENGTH || 0 == (TcpHeader.flags(buffer, tcpOffset) & TcpHeader.FLAG_SYN))
        {
            return -1;
        }
        final int optionOffset = TcpHeader.findMssOption(buffer, tcpOffset, tcpLength);
        if (optionOffset < 0)
        {
            return -1;
        }

        final int mss = TcpHeader.mss(buffer, optionOffset);
        if (mss <= maxMss)
        {
            return mss;
        }
        TcpHeader.rewriteMss(buffer, tcpOffset, optionOffset, maxMss);

        return maxMss;
    }
}
