package io.vrouter.agent.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vrouter.core.bridge.BridgeTable;

/**
 * The node agent's RIB: what it keeps per VRF, and the covering route a delete carries.
 */
class RibTest
{
    private static final int VRF = 1;
    private static final Rib.Route A = new Rib.Route(10, 100, 0x3, 0);
    private static final Rib.Route B = new Rib.Route(11, 200, 0x3, 0);
    private static final Rib.Route C = new Rib.Route(12, -1, 0x2, 0);
    private static final Rib.Route D = new Rib.Route(13, -1, 0x2, BridgeTable.GATEWAY_MAC);

    private final Rib rib = new Rib();

    @Test
    void shouldCoverWithTheLongestStrictlyShorterContainingPrefix()
    {
        rib.put(VRF, "10.0.0.0/8", A);
        rib.put(VRF, "10.1.0.0/16", B);
        rib.put(VRF, "10.1.1.0/24", C);
        rib.put(VRF, "10.1.1.7/32", D);
        assertEquals(new Rib.Cover(24, C), rib.cover(VRF, "10.1.1.7/32"));
        assertEquals(new Rib.Cover(16, B), rib.cover(VRF, "10.1.1.0/24"));
        assertEquals(new Rib.Cover(8, A), rib.cover(VRF, "10.1.0.0/16"));
        assertNull(rib.cover(VRF, "10.0.0.0/8"), "a route does not cover itself, and nothing is shorter");
        // Between the levels, and for prefixes the RIB does not hold.
        assertEquals(new Rib.Cover(24, C), rib.cover(VRF, "10.1.1.128/25"));
        assertEquals(new Rib.Cover(16, B), rib.cover(VRF, "10.1.2.0/24"));
        assertEquals(new Rib.Cover(8, A), rib.cover(VRF, "10.2.0.0/16"));
        assertNull(rib.cover(VRF, "11.0.0.0/8"));
        assertNull(rib.cover(VRF, "192.168.0.1/32"));
    }

    @Test
    void shouldCoverWithADefaultRoute()
    {
        rib.put(VRF, "0.0.0.0/0", A);
        rib.put(VRF, "10.1.0.0/16", B);
        assertEquals(new Rib.Cover(0, A), rib.cover(VRF, "10.1.0.0/16"));
        assertEquals(new Rib.Cover(0, A), rib.cover(VRF, "192.168.1.1/32"));
        assertEquals(new Rib.Cover(16, B), rib.cover(VRF, "10.1.255.255/32"));
        assertEquals(new Rib.Cover(0, A), rib.cover(VRF, "128.0.0.0/1"));
        assertNull(rib.cover(VRF, "0.0.0.0/0"), "nothing is shorter than /0");
    }

    @Test
    void shouldFallBackLevelByLevelWhenAMiddleLevelThenTheInnerOneIsDeleted()
    {
        rib.put(VRF, "10.1.0.0/16", A);
        rib.put(VRF, "10.1.1.0/24", B);
        rib.put(VRF, "10.1.1.7/32", C);
        assertEquals(B, rib.remove(VRF, "10.1.1.0/24"));
        assertEquals(new Rib.Cover(16, A), rib.cover(VRF, "10.1.1.7/32"), "the /24 gone, the /16 covers the /32");
        assertEquals(new Rib.Cover(16, A), rib.cover(VRF, "10.1.1.0/24"), "and the /24's own range");
        assertEquals(C, rib.remove(VRF, "10.1.1.7/32"));
        assertEquals(new Rib.Cover(16, A), rib.cover(VRF, "10.1.1.7/32"));
        assertEquals(1, rib.size(VRF));
        assertEquals(A, rib.remove(VRF, "10.1.0.0/16"));
        assertNull(rib.cover(VRF, "10.1.1.7/32"));
        assertEquals(0, rib.size(VRF));
        assertNull(rib.remove(VRF, "10.1.0.0/16"), "removing twice finds nothing");
    }

    @Test
    void shouldCoverWithTheLatestDataAfterAReAddOrAChange()
    {
        rib.put(VRF, "10.1.0.0/16", A);
        rib.put(VRF, "10.1.1.0/24", B);
        rib.remove(VRF, "10.1.1.0/24");
        rib.put(VRF, "10.1.1.0/24", C);
        assertEquals(new Rib.Cover(24, C), rib.cover(VRF, "10.1.1.7/32"), "re-added with other data");
        rib.put(VRF, "10.1.1.0/24", D);
        assertEquals(new Rib.Cover(24, D), rib.cover(VRF, "10.1.1.7/32"), "changed in place");
        assertEquals(2, rib.size(VRF));
    }

    @Test
    void shouldIgnoreTheBitsPastTheLength()
    {
        rib.put(VRF, "10.1.1.7/24", A);
        assertEquals(new Rib.Cover(24, A), rib.cover(VRF, "10.1.1.9/32"));
        assertEquals(A, rib.remove(VRF, "10.1.1.0/24"), "10.1.1.7/24 is 10.1.1.0/24");
        rib.put(VRF, "2001:db8::1/32", B);
        assertEquals(B, rib.remove(VRF, "2001:db8::/32"));
    }

    @Test
    void shouldCoverIpv6AcrossTheHalves()
    {
        rib.put(VRF, "::/0", A);
        rib.put(VRF, "2001:db8::/32", B);
        rib.put(VRF, "2001:db8:0:1::/64", C);
        rib.put(VRF, "2001:db8:0:1:8000::/65", D);
        assertEquals(new Rib.Cover(65, D), rib.cover(VRF, "2001:db8:0:1:8000::1/128"), "below the /65");
        assertEquals(new Rib.Cover(64, C), rib.cover(VRF, "2001:db8:0:1::1/128"), "beside the /65, in the /64");
        assertEquals(new Rib.Cover(64, C), rib.cover(VRF, "2001:db8:0:1:8000::/65"));
        assertEquals(new Rib.Cover(32, B), rib.cover(VRF, "2001:db8:0:2::/64"));
        assertEquals(new Rib.Cover(0, A), rib.cover(VRF, "2001:db9::/32"));
        assertEquals(new Rib.Cover(0, A), rib.cover(VRF, "2001:db8::/32"));
        rib.remove(VRF, "2001:db8:0:1::/64");
        assertEquals(new Rib.Cover(32, B), rib.cover(VRF, "2001:db8:0:1::1/128"), "the /64 gone, the /32 covers");
        assertEquals(new Rib.Cover(32, B), rib.cover(VRF, "2001:db8:0:1:8000::/65"));
    }

    @Test
    void shouldKeepFamiliesAndVrfsApart()
    {
        rib.put(VRF, "0.0.0.0/0", A);
        assertNull(rib.cover(VRF, "2001:db8::/32"), "an IPv4 default route does not cover IPv6");
        assertNull(rib.cover(VRF, "::ffff:10.1.1.0/120"), "nor an IPv4-mapped IPv6 prefix");
        rib.put(VRF, "::/0", B);
        assertEquals(new Rib.Cover(0, B), rib.cover(VRF, "::ffff:10.1.1.0/120"));
        assertEquals(new Rib.Cover(0, A), rib.cover(VRF, "10.1.1.0/24"));
        assertNull(rib.cover(VRF + 1, "10.1.1.0/24"), "another VRF");
        rib.put(VRF + 1, "10.0.0.0/8", C);
        assertEquals(new Rib.Cover(8, C), rib.cover(VRF + 1, "10.1.1.0/24"));
        rib.removeVrf(VRF);
        assertEquals(0, rib.size(VRF));
        assertNull(rib.cover(VRF, "10.1.1.0/24"), "the VRF's routes are gone with it");
        assertEquals(new Rib.Cover(8, C), rib.cover(VRF + 1, "10.1.1.0/24"), "the other VRF keeps its own");
    }

    @Test
    void shouldRefuseWhatIsNotAPrefix()
    {
        for (final String bad : new String[] {"10.1.1.0", "10.1.1.0/", "/24", "10.1.1.0/33", "10.1.1.0/-1",
            "10.1.1/24", "10.1.1.256/24", "10.1.1.0/x", "host.example/24", "2001:db8::/129", "2001:db8::zz/64",
            "2001:db8:::1/64"})
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rib.put(VRF, bad, A), bad);
            assertTrue(e.getMessage().endsWith(": " + bad), e.getMessage());
        }
        assertEquals(0, rib.size(VRF), "nothing recorded");
    }
}
