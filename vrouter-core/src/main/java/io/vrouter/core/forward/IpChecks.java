package io.vrouter.core.forward;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.status.DropReason;
import io.vrouter.wire.Checksums;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;

/**
 * The ingress checks of an IP header, validated once and then trusted (Aeron's {@code isValidFrame},
 * tf-vrouter's {@code vr_ip_input} checks): shared by the nodes that first see an IP header.
 */
final class IpChecks
{
    private IpChecks()
    {
    }

    /**
     * Checks an IPv4 header.
     *
     * @param buf       the buffer.
     * @param l3        header offset.
     * @param available bytes from the header to the end of the frame.
     * @return the reason to drop, or null.
     */
    static DropReason ipv4(final UnsafeBuffer buf, final int l3, final int available)
    {
        if (available < Ipv4Header.MIN_LENGTH)
        {
            return DropReason.PULL;
        }
        final int ihl = Ipv4Header.headerLength(buf, l3);
        if (Ipv4Header.version(buf, l3) != 4 || ihl < Ipv4Header.MIN_LENGTH)
        {
            return DropReason.INVALID_PACKET;
        }
        final int total = Ipv4Header.totalLength(buf, l3);
        if (ihl > available)
        {
            return DropReason.PULL;
        }
        if (total < ihl || total > available)
        {
            return DropReason.INVALID_PACKET;
        }
        if (!Checksums.isIpv4HeaderChecksumValid(buf, l3, ihl))
        {
            return DropReason.CKSUM_ERR;
        }
        return null;
    }

    /**
     * Checks an IPv6 header.
     *
     * @param buf       the buffer.
     * @param l3        header offset.
     * @param available bytes from the header to the end of the frame.
     * @return the reason to drop, or null.
     */
    static DropReason ipv6(final UnsafeBuffer buf, final int l3, final int available)
    {
        if (available < Ipv6Header.HEADER_LENGTH)
        {
            return DropReason.PULL;
        }
        if (Ipv6Header.version(buf, l3) != 6
            || Ipv6Header.HEADER_LENGTH + Ipv6Header.payloadLength(buf, l3) > available)
        {
            return DropReason.INVALID_PACKET;
        }
        return null;
    }
}
