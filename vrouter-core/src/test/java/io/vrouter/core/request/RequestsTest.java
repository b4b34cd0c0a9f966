package io.vrouter.core.request;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.vrouter.core.VRouter;
import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.table.VRouterConfig;

class RequestsTest
{
    @Test
    void encodesAsContrailDoes()
    {
        assertArrayEquals(new byte[] {10, 47, (byte)255, (byte)252}, Requests.ipv4("10.47.255.252"));
        assertEquals(33685761L, Requests.ipv4LittleEndian("1.1.2.2"), "docs/control.md's example");
        assertArrayEquals(new byte[] {0, 0, 0x5e, 0, 1, 0, 2, 0, 0, 0, 0, 1, 8, 0},
            Requests.l2Rewrite(BridgeTable.GATEWAY_MAC, 0x020000000001L));
        for (final String bad : new String[] {"1.2.3", "1.2.3.256", "a.b.c.d", "1..2.3"})
        {
            assertThrows(IllegalArgumentException.class, () -> Requests.ipv4(bad), bad);
        }
    }

    @Test
    void aBuiltRouteIsAcceptedAndReadBack()
    {
        final VRouter v = new VRouter(VRouterConfig.defaults());
        assertEquals(0, v.program(Requests.route4(1, "10.0.0.0/8", 0, -1, 0x2)).code());
        final Response r = v.program(Requests.route4Key(1, "10.1.2.3").op(Op.GET).build());
        assertEquals(0, r.code());
        assertEquals(8, r.first(RouteRequest.class).prefixLen());
        assertEquals(2, r.first(RouteRequest.class).labelFlags());
    }
}
