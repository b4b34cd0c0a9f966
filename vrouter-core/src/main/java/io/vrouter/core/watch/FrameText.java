package io.vrouter.core.watch;

import org.agrona.DirectBuffer;

/**
 * A one-line reading of a frame's headers for the packet trace: Ethernet, VLAN, ARP, IPv4/IPv6, ICMP,
 * UDP/TCP ports, and inside MPLS over UDP/GRE and VXLAN the inner packet. Allocates; diagnostics only.
 */
public final class FrameText
{
    private static final int MPLS_UDP_PORT = 6635;
    private static final int VXLAN_PORT = 4789;

    private FrameText()
    {
    }

    /**
     * Describes an Ethernet frame.
     *
     * @param b      buffer.
     * @param offset frame start.
     * @param length frame length.
     * @return e.g. {@code 02:00:00:00:00:01 > 02:00:00:00:00:02 ipv4 10.1.1.3 > 10.1.2.3 ttl 64 icmp echo}.
     */
    public static String ethernet(final DirectBuffer b, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder();
        ethernet(sb, b, offset, length, 0);
        return sb.toString();
    }

    private static void ethernet(final StringBuilder sb, final DirectBuffer b, final int offset, final int length,
        final int depth)
    {
        if (length < 14)
        {
            sb.append("runt frame of ").append(length).append(" bytes");
            return;
        }
        mac(sb, b, offset + 6);
        sb.append(" > ");
        mac(sb, b, offset);
        int p = offset + 12;
        int type = u16(b, p);
        if (type == 0x8100 && length >= 18)
        {
            sb.append(" vlan ").append(u16(b, p + 2) & 0xFFF);
            p += 4;
            type = u16(b, p);
        }
        p += 2;
        network(sb, b, p, offset + length - p, type, depth);
    }

    private static void network(final StringBuilder sb, final DirectBuffer b, final int p, final int length,
        final int type, final int depth)
    {
        switch (type)
        {
            case 0x0800 -> ipv4(sb, b, p, length, depth);
            case 0x86DD -> ipv6(sb, b, p, length, depth);
            case 0x0806 -> arp(sb, b, p, length);
            default -> sb.append(" ethertype 0x").append(Integer.toHexString(type));
        }
    }

    private static void arp(final StringBuilder sb, final DirectBuffer b, final int p, final int length)
    {
        if (length < 28)
        {
            sb.append(" arp (truncated)");
            return;
        }
        final int op = u16(b, p + 6);
        sb.append(op == 1 ? " arp who-has " : op == 2 ? " arp reply " : " arp op " + op + " ");
        ip4(sb, b, p + 24);
        sb.append(op == 2 ? " is-at " : " tell ");
        if (op == 2)
        {
            mac(sb, b, p + 8);
        }
        else
        {
            ip4(sb, b, p + 14);
        }
    }

    private static void ipv4(final StringBuilder sb, final DirectBuffer b, final int p, final int length,
        final int depth)
    {
        if (length < 20)
        {
            sb.append(" ipv4 (truncated)");
            return;
        }
        final int ihl = (b.getByte(p) & 0xF) * 4;
        sb.append(" ipv4 ");
        ip4(sb, b, p + 12);
        sb.append(" > ");
        ip4(sb, b, p + 16);
        sb.append(" ttl ").append(b.getByte(p + 8) & 0xFF);
        transport(sb, b, p + ihl, length - ihl, b.getByte(p + 9) & 0xFF, depth);
    }

    private static void ipv6(final StringBuilder sb, final DirectBuffer b, final int p, final int length,
        final int depth)
    {
        if (length < 40)
        {
            sb.append(" ipv6 (truncated)");
            return;
        }
        sb.append(" ipv6 ");
        ip6(sb, b, p + 8);
        sb.append(" > ");
        ip6(sb, b, p + 24);
        sb.append(" hlim ").append(b.getByte(p + 7) & 0xFF);
        transport(sb, b, p + 40, length - 40, b.getByte(p + 6) & 0xFF, depth);
    }

    private static void transport(final StringBuilder sb, final DirectBuffer b, final int p, final int length,
        final int protocol, final int depth)
    {
        switch (protocol)
        {
            case 1 -> sb.append(length >= 1 ? icmp(b.getByte(p) & 0xFF) : " icmp");
            case 58 -> sb.append(" icmp6 type ").append(length >= 1 ? b.getByte(p) & 0xFF : -1);
            case 6 ->
            {
                sb.append(" tcp");
                if (length >= 4)
                {
                    sb.append(' ').append(u16(b, p)).append(" > ").append(u16(b, p + 2));
                }
            }
            case 17 ->
            {
                if (length < 8)
                {
                    sb.append(" udp (truncated)");
                    return;
                }
                final int dport = u16(b, p + 2);
                sb.append(" udp ").append(u16(b, p)).append(" > ").append(dport);
                if (depth == 0 && dport == MPLS_UDP_PORT)
                {
                    mpls(sb, b, p + 8, length - 8, depth);
                }
                else if (depth == 0 && dport == VXLAN_PORT && length >= 16)
                {
                    sb.append(" vxlan vni ").append(b.getInt(p + 12, java.nio.ByteOrder.BIG_ENDIAN) >>> 8)
                        .append(" |");
                    ethernet(sb, b, p + 16, length - 16, depth + 1);
                }
            }
            case 47 ->
            {
                if (depth == 0 && length >= 4 && u16(b, p + 2) == 0x8847)
                {
                    sb.append(" gre");
                    mpls(sb, b, p + 4, length - 4, depth);
                }
                else
                {
                    sb.append(" gre");
                }
            }
            default -> sb.append(" proto ").append(protocol);
        }
    }

    private static void mpls(final StringBuilder sb, final DirectBuffer b, final int p, final int length,
        final int depth)
    {
        if (length < 4)
        {
            sb.append(" mpls (truncated)");
            return;
        }
        sb.append(" mpls label ").append(b.getInt(p, java.nio.ByteOrder.BIG_ENDIAN) >>> 12).append(" |");
        final int inner = p + 4;
        final int innerLength = length - 4;
        if (innerLength < 1)
        {
            return;
        }
        final int version = (b.getByte(inner) & 0xF0) >>> 4;
        if (version == 4)
        {
            ipv4(sb, b, inner, innerLength, depth + 1);
        }
        else if (version == 6)
        {
            ipv6(sb, b, inner, innerLength, depth + 1);
        }
        else
        {
            sb.append(' ');
            ethernet(sb, b, inner, innerLength, depth + 1);
        }
    }

    private static String icmp(final int type)
    {
        return switch (type)
        {
            case 0 -> " icmp echo-reply";
            case 8 -> " icmp echo";
            case 3 -> " icmp unreachable";
            case 11 -> " icmp time-exceeded";
            default -> " icmp type " + type;
        };
    }

    private static int u16(final DirectBuffer b, final int p)
    {
        return ((b.getByte(p) & 0xFF) << 8) | (b.getByte(p + 1) & 0xFF);
    }

    private static void mac(final StringBuilder sb, final DirectBuffer b, final int p)
    {
        for (int i = 0; i < 6; i++)
        {
            final int v = b.getByte(p + i) & 0xFF;
            sb.append(i == 0 ? "" : ":").append(Character.forDigit(v >>> 4, 16))
                .append(Character.forDigit(v & 0xF, 16));
        }
    }

    private static void ip4(final StringBuilder sb, final DirectBuffer b, final int p)
    {
        for (int i = 0; i < 4; i++)
        {
            sb.append(i == 0 ? "" : ".").append(b.getByte(p + i) & 0xFF);
        }
    }

    private static void ip6(final StringBuilder sb, final DirectBuffer b, final int p)
    {
        final byte[] a = new byte[16];
        b.getBytes(p, a);
        try
        {
            sb.append(java.net.InetAddress.getByAddress(a).getHostAddress());
        }
        catch (final java.net.UnknownHostException e)
        {
            sb.append("?");
        }
    }
}
