package io.vrouter.core.testing;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Builds test frames (Ethernet + IPv4/IPv6 + UDP/TCP/ICMP, ARP) as byte arrays, with correct
 * lengths and checksums computed the slow, obvious way, independent of the code under test.
 */
public final class Frames
{
    private Frames()
    {
    }

    /**
     * Hex to bytes, ignoring spaces.
     *
     * @param hex hex digits.
     * @return bytes.
     */
    public static byte[] hex(final String hex)
    {
        return HexFormat.of().parseHex(hex.replace(" ", "").replace("\n", ""));
    }

    /**
     * Bytes to hex.
     *
     * @param b bytes.
     * @return lower-case hex.
     */
    public static String hex(final byte[] b)
    {
        return HexFormat.of().formatHex(b);
    }

    /**
     * Dotted IPv4 to int.
     *
     * @param dotted "a.b.c.d".
     * @return big-endian int value.
     */
    public static int ip(final String dotted)
    {
        final String[] p = dotted.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8)
            | Integer.parseInt(p[3]);
    }

    /**
     * RFC 1071 checksum, the obvious way.
     *
     * @param b      bytes.
     * @param off    start.
     * @param len    length.
     * @param initial partial sum to add (pseudo header).
     * @return the checksum.
     */
    public static int checksum(final byte[] b, final int off, final int len, final long initial)
    {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2)
        {
            sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0)
        {
            sum += (b[off + len - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }

    /**
     * An Ethernet + IPv4 + UDP frame.
     *
     * @param dstMac  destination MAC.
     * @param srcMac  source MAC.
     * @param src     source IP.
     * @param dst     destination IP.
     * @param ttl     TTL.
     * @param sport   UDP source port.
     * @param dport   UDP destination port.
     * @param payload payload length.
     * @param df      whether DF is set.
     * @return the frame.
     */
    public static byte[] udp4(final long dstMac, final long srcMac, final int src, final int dst, final int ttl,
        final int sport, final int dport, final int payload, final boolean df)
    {
        final byte[] f = new byte[14 + 20 + 8 + payload];
        final ByteBuffer bb = ByteBuffer.wrap(f);
        ethernet(bb, dstMac, srcMac, 0x0800);
        ipv4(f, bb, 20 + 8 + payload, ttl, 17, src, dst, df);
        bb.putShort((short)sport).putShort((short)dport).putShort((short)(8 + payload)).putShort((short)0);
        for (int i = 0; i < payload; i++)
        {
            f[42 + i] = (byte)i;
        }
        final int c = checksum(f, 34, 8 + payload, pseudo(src, dst, 17, 8 + payload));
        f[40] = (byte)(c >>> 8);
        f[41] = (byte)c;
        return f;
    }

    /**
     * An Ethernet + IPv4 + ICMP echo request or reply with a payload of bytes 0, 1, 2, ...
     *
     * @param dstMac   destination MAC.
     * @param srcMac   source MAC.
     * @param src      source IP.
     * @param dst      destination IP.
     * @param ttl      TTL.
     * @param type     ICMP type (8 request, 0 reply).
     * @param id       echo identifier.
     * @param sequence echo sequence number.
     * @param payload  payload length.
     * @return the frame.
     */
    public static byte[] icmpEcho4(final long dstMac, final long srcMac, final int src, final int dst, final int ttl,
        final int type, final int id, final int sequence, final int payload)
    {
        final byte[] f = new byte[14 + 20 + 8 + payload];
        final ByteBuffer bb = ByteBuffer.wrap(f);
        ethernet(bb, dstMac, srcMac, 0x0800);
        ipv4(f, bb, 20 + 8 + payload, ttl, 1, src, dst, true);
        bb.put((byte)type).put((byte)0).putShort((short)0).putShort((short)id).putShort((short)sequence);
        for (int i = 0; i < payload; i++)
        {
            f[42 + i] = (byte)i;
        }
        final int c = checksum(f, 34, 8 + payload, 0);
        f[36] = (byte)(c >>> 8);
        f[37] = (byte)c;
        return f;
    }

    /**
     * An Ethernet + IPv4 + TCP SYN with an MSS option.
     *
     * @param dstMac destination MAC.
     * @param srcMac source MAC.
     * @param src    source IP.
     * @param dst    destination IP.
     * @param mss    MSS option value.
     * @return the frame.
     */
    public static byte[] tcpSyn4(final long dstMac, final long srcMac, final int src, final int dst, final int mss)
    {
        final int tcpLen = 24;
        final byte[] f = new byte[14 + 20 + tcpLen];
        final ByteBuffer bb = ByteBuffer.wrap(f);
        ethernet(bb, dstMac, srcMac, 0x0800);
        ipv4(f, bb, 20 + tcpLen, 64, 6, src, dst, true);
        bb.putShort((short)40000).putShort((short)80).putInt(1000).putInt(0);
        bb.put((byte)(6 << 4)).put((byte)0x02).putShort((short)65535).putShort((short)0).putShort((short)0);
        bb.put((byte)2).put((byte)4).putShort((short)mss);
        final int c = checksum(f, 34, tcpLen, pseudo(src, dst, 6, tcpLen));
        f[50] = (byte)(c >>> 8);
        f[51] = (byte)c;
        return f;
    }

    /**
     * A TCP super-frame as a pod's kernel hands it to a TAP with TSO: Ethernet, IPv4 (DF, ID 0x1234, header checksum
     * valid) or IPv6 (addresses fd00::{@code src} and fd00::{@code dst}), TCP from port 40000 to 5201 with sequence
     * number 0xfffff000 (it wraps within the frame), ack 0x10000001 and 12 bytes of options (timestamps), the TCP
     * checksum field holding only the pseudo-header's folded sum (partial, as {@code CHECKSUM_PARTIAL} leaves it),
     * then the payload.
     *
     * @param ipv6    IPv6 rather than IPv4.
     * @param dstMac  destination MAC.
     * @param srcMac  source MAC.
     * @param src     source address (IPv4, or the low 32 bits of the IPv6 one).
     * @param dst     destination address (likewise).
     * @param payload the TCP payload (up to 64 KB minus headers).
     * @param flags   the TCP flags byte.
     * @return the frame.
     */
    public static byte[] tcpSuperFrame(final boolean ipv6, final long dstMac, final long srcMac, final int src,
        final int dst, final byte[] payload, final int flags)
    {
        final int tcpLength = 32 + payload.length;
        final byte[] f = new byte[14 + (ipv6 ? 40 : 20) + tcpLength];
        final ByteBuffer bb = ByteBuffer.wrap(f);
        ethernet(bb, dstMac, srcMac, ipv6 ? 0x86dd : 0x0800);
        final long pseudo;
        if (ipv6)
        {
            bb.putInt(0x6000_0000).putShort((short)tcpLength).put((byte)6).put((byte)64);
            bb.putLong(0xfd00_0000_0000_0000L).putLong(src & 0xFFFF_FFFFL);
            bb.putLong(0xfd00_0000_0000_0000L).putLong(dst & 0xFFFF_FFFFL);
            pseudo = 0xfd00 * 2 + pseudo(src, dst, 6, tcpLength);
        }
        else
        {
            ipv4(f, bb, 20 + tcpLength, 64, 6, src, dst, true);
            pseudo = pseudo(src, dst, 6, tcpLength);
        }
        final int th = bb.position();
        bb.putShort((short)40000).putShort((short)5201).putInt(0xFFFF_F000).putInt(0x1000_0001).put((byte)0x80)
            .put((byte)flags).putShort((short)502).putShort((short)0).putShort((short)0);
        bb.put(new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2});
        bb.put(payload);
        final int partial = 0xFFFF & ~checksum(new byte[0], 0, 0, pseudo);
        f[th + 16] = (byte)(partial >>> 8);
        f[th + 17] = (byte)partial;
        return f;
    }

    /**
     * An ARP request frame (broadcast).
     *
     * @param srcMac    requester MAC.
     * @param senderIp  requester IP.
     * @param targetIp  IP asked for.
     * @return the frame (42 bytes).
     */
    public static byte[] arpRequest(final long srcMac, final int senderIp, final int targetIp)
    {
        final byte[] f = new byte[42];
        final ByteBuffer bb = ByteBuffer.wrap(f);
        ethernet(bb, 0xFFFFFFFFFFFFL, srcMac, 0x0806);
        bb.putShort((short)1).putShort((short)0x0800).put((byte)6).put((byte)4).putShort((short)1);
        putMac(bb, srcMac);
        bb.putInt(senderIp);
        putMac(bb, 0);
        bb.putInt(targetIp);
        return f;
    }

    /**
     * An Ethernet + IPv6 + UDP frame.
     *
     * @param dstMac  destination MAC.
     * @param srcMac  source MAC.
     * @param src     source address (16 bytes).
     * @param dst     destination address (16 bytes).
     * @param hops    hop limit.
     * @param payload payload length.
     * @return the frame.
     */
    public static byte[] udp6(final long dstMac, final long srcMac, final byte[] src, final byte[] dst,
        final int hops, final int payload)
    {
        final byte[] f = new byte[14 + 40 + 8 + payload];
        final ByteBuffer bb = ByteBuffer.wrap(f);
        ethernet(bb, dstMac, srcMac, 0x86DD);
        bb.putInt(0x60000000).putShort((short)(8 + payload)).put((byte)17).put((byte)hops).put(src).put(dst);
        bb.putShort((short)1000).putShort((short)2000).putShort((short)(8 + payload)).putShort((short)0);
        return f;
    }

    /**
     * An Ethernet + IPv6 neighbour solicitation for a target, with a source link-layer option.
     *
     * @param srcMac requester MAC.
     * @param src    requester address.
     * @param target address asked for.
     * @return the frame.
     */
    public static byte[] neighborSolicitation(final long srcMac, final byte[] src, final byte[] target)
    {
        final int icmpLen = 24 + 8;
        final byte[] f = new byte[14 + 40 + icmpLen];
        final ByteBuffer bb = ByteBuffer.wrap(f);
        final byte[] solicited = hex("ff0200000000000000000001ff000000");
        solicited[13] = target[13];
        solicited[14] = target[14];
        solicited[15] = target[15];
        ethernet(bb, 0x3333ff000000L | ((target[13] & 0xFFL) << 16) | ((target[14] & 0xFFL) << 8)
            | (target[15] & 0xFFL), srcMac, 0x86DD);
        bb.putInt(0x60000000).putShort((short)icmpLen).put((byte)58).put((byte)255).put(src).put(solicited);
        bb.put((byte)135).put((byte)0).putShort((short)0).putInt(0).put(target);
        bb.put((byte)1).put((byte)1);
        putMac(bb, srcMac);
        long sum = 0;
        for (int i = 0; i < 16; i += 2)
        {
            sum += ((src[i] & 0xFF) << 8) | (src[i + 1] & 0xFF);
            sum += ((solicited[i] & 0xFF) << 8) | (solicited[i + 1] & 0xFF);
        }
        sum += icmpLen + 58;
        final int c = checksum(f, 54, icmpLen, sum);
        f[56] = (byte)(c >>> 8);
        f[57] = (byte)c;
        return f;
    }

    private static long pseudo(final int src, final int dst, final int proto, final int len)
    {
        return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + proto + len;
    }

    private static void ethernet(final ByteBuffer bb, final long dstMac, final long srcMac, final int type)
    {
        putMac(bb, dstMac);
        putMac(bb, srcMac);
        bb.putShort((short)type);
    }

    private static void ipv4(final byte[] f, final ByteBuffer bb, final int totalLength, final int ttl,
        final int proto, final int src, final int dst, final boolean df)
    {
        final int ip = bb.position();
        bb.put((byte)0x45).put((byte)0).putShort((short)totalLength).putShort((short)0x1234)
            .putShort((short)(df ? 0x4000 : 0)).put((byte)ttl).put((byte)proto).putShort((short)0)
            .putInt(src).putInt(dst);
        final int c = checksum(f, ip, 20, 0);
        f[ip + 10] = (byte)(c >>> 8);
        f[ip + 11] = (byte)c;
    }

    /**
     * Writes a MAC.
     *
     * @param bb  buffer.
     * @param mac MAC in the low 48 bits.
     */
    public static void putMac(final ByteBuffer bb, final long mac)
    {
        bb.putShort((short)(mac >>> 32)).putInt((int)mac);
    }
}
