package io.vrouter.encap;

import io.vrouter.wire.Checksums;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Header;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden bytes of the plain UDP tunnel (mirror to an analyzer); the expected values were computed
 * independently (Python, RFC 1071 sums) for these inputs.
 */
class UdpTunnelEncapTest
{
    private static final String OUTER_ETHERNET = "001122334455" + "66778899aabb" + "0800";
    private static final String INNER = "020000000001020000000002080045000014";
    private static final int SIP = 0x0A000001;
    private static final int DIP = 0x0A000009;

    @Test
    void shouldEncapsulateWithNextHopPortsTtl64AndFullUdpChecksum()
    {
        final EncapRewrite rewrite = EncapRewrite.udpTunnel(
            new UnsafeBuffer(Hex.decode(OUTER_ETHERNET)), 0, SIP, DIP, 8099, 8099);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final byte[] inner = Hex.decode(INNER);
        buffer.putBytes(128, inner);

        final int frameOffset = UdpTunnelEncap.encap(buffer, 128, inner.length, rewrite, 1);

        assertEquals(128 - 42, frameOffset);
        assertEquals(
            OUTER_ETHERNET + "4500002e00010000401166b50a0000010a000009" + "1fa31fa3001a5b53" + INNER,
            Hex.encode(buffer.byteArray(), frameOffset, 42 + inner.length));
        assertTrue(new Ipv4Header().wrap(buffer, frameOffset + 14).isChecksumValid());
        assertTrue(Checksums.isIpv4TransportChecksumValid(buffer, frameOffset + 34, 8 + inner.length, SIP, DIP,
            IpProtocol.UDP));
        assertEquals(42, rewrite.overhead());
        assertEquals("udp", TunnelType.name(TunnelType.UDP));
    }

    @Test
    void shouldRefuseRewriteWithoutIpv4EtherType()
    {
        assertThrows(IllegalArgumentException.class, () -> EncapRewrite.udpTunnel(
            new UnsafeBuffer(Hex.decode("001122334455" + "66778899aabb" + "86dd")), 0, SIP, DIP, 1, 2));
    }
}
