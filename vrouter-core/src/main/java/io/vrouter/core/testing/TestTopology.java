package io.vrouter.core.testing;

import java.util.ArrayList;
import java.util.List;

import io.vrouter.core.VRouter;
import io.vrouter.core.VRouterConfig;
import io.vrouter.core.control.Programmer;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;

/**
 * Builds a forwarder topology through the same programming API the agent and the replay harness
 * use, then plays frames through a worker and returns what came out where.
 */
public final class TestTopology
{
    /** vtest-style fabric next-hop MAC. */
    public static final long FABRIC_PEER_MAC = 0xdeadbeef0001L;

    private final VRouter vrouter;
    private final Forwarder forwarder;
    private final PacketBatch batch;

    /**
     * An empty topology with small tables.
     */
    public TestTopology()
    {
        this(smallConfig());
    }

    /**
     * An empty topology.
     *
     * @param config sizes.
     */
    public TestTopology(final VRouterConfig config)
    {
        this(new VRouter(config));
    }

    /**
     * A topology over a given forwarder instance (e.g. with a small flow table or a test clock).
     *
     * @param vrouter the instance.
     */
    public TestTopology(final VRouter vrouter)
    {
        this.vrouter = vrouter;
        this.forwarder = vrouter.newForwarder();
        this.batch = forwarder.newBatch();
    }

    /**
     * The small test configuration.
     *
     * @return sizes.
     */
    public static VRouterConfig smallConfig()
    {
        return new VRouterConfig(64, 1024, 64, 256, 1024, 256, 16, 4096, 32, 10240, true, true);
    }

    /**
     * The forwarder instance.
     *
     * @return it.
     */
    public VRouter vrouter()
    {
        return vrouter;
    }

    /**
     * The worker.
     *
     * @return it.
     */
    public Forwarder forwarder()
    {
        return forwarder;
    }

    /**
     * Applies a request and insists it succeeds.
     *
     * @param request the request.
     * @return this.
     */
    public TestTopology program(final SandeshObject request)
    {
        final Response r = vrouter.program(request);
        if (r.code() < 0)
        {
            throw new AssertionError("programming failed: " + request + " -> " + r);
        }
        return this;
    }

    /**
     * Adds an interface.
     *
     * @param idx   vif index.
     * @param type  vif type.
     * @param vrf   VRF.
     * @param mac   MAC.
     * @param mtu   MTU.
     * @param flags flags.
     * @return this.
     */
    public TestTopology vif(final int idx, final int type, final int vrf, final long mac, final int mtu,
        final int flags)
    {
        return program(new SandeshObject("vr_interface_req").put("h_op", 0L).put("vifr_idx", idx)
            .put("vifr_type", type).put("vifr_name", "vif" + idx).put("vifr_vrf", vrf)
            .put("vifr_mac", macBytes(mac)).put("vifr_mtu", mtu).put("vifr_flags", flags).put("vifr_transport", 0));
    }

    /**
     * Adds an encap (interface) next hop.
     *
     * @param id     NH id.
     * @param family 2 or 7.
     * @param oif    interface.
     * @param dst    destination MAC of the rewrite.
     * @param src    source MAC of the rewrite.
     * @param flags  NH flags.
     * @return this.
     */
    public TestTopology encapNh(final int id, final int family, final int oif, final long dst, final long src,
        final int flags)
    {
        return program(new SandeshObject("vr_nexthop_req").put("nhr_id", id).put("nhr_type", 2L)
            .put("nhr_family", family).put("nhr_encap_oif_id", new long[] {oif}).put("nhr_encap", l2(dst, src))
            .put("nhr_flags", flags));
    }

    /**
     * Adds a tunnel next hop.
     *
     * @param id     NH id.
     * @param oif    fabric interface.
     * @param sip    tunnel source.
     * @param dip    tunnel destination.
     * @param flags  NH flags (VALID | tunnel type).
     * @param dstMac outer destination MAC.
     * @param srcMac outer source MAC.
     * @return this.
     */
    public TestTopology tunnelNh(final int id, final int oif, final int sip, final int dip, final int flags,
        final long dstMac, final long srcMac)
    {
        return program(new SandeshObject("vr_nexthop_req").put("nhr_id", id).put("nhr_type", 3L)
            .put("nhr_family", 2L).put("nhr_encap_oif_id", new long[] {oif}).put("nhr_encap", l2(dstMac, srcMac))
            .put("nhr_tun_sip", Integer.reverseBytes(sip) & 0xFFFFFFFFL)
            .put("nhr_tun_dip", Integer.reverseBytes(dip) & 0xFFFFFFFFL).put("nhr_flags", flags));
    }

    /**
     * Adds a simple next hop of a type without extra fields (L2 receive, receive, discard).
     *
     * @param id    NH id.
     * @param type  NH type.
     * @param oif   interface or -1.
     * @param vrf   nhr_vrf.
     * @return this.
     */
    public TestTopology simpleNh(final int id, final int type, final int oif, final int vrf)
    {
        final SandeshObject o = new SandeshObject("vr_nexthop_req").put("nhr_id", id).put("nhr_type", type)
            .put("nhr_vrf", vrf).put("nhr_flags", 1L);
        if (oif >= 0)
        {
            o.put("nhr_encap_oif_id", new long[] {oif});
        }
        return program(o);
    }

    /**
     * Adds an IPv4 route.
     *
     * @param vrf        VRF.
     * @param prefix     prefix.
     * @param plen       length.
     * @param nh         next hop.
     * @param label      label or -1.
     * @param labelFlags label flags.
     * @return this.
     */
    public TestTopology route4(final int vrf, final int prefix, final int plen, final int nh, final int label,
        final int labelFlags)
    {
        final SandeshObject o = new SandeshObject("vr_route_req").put("rtr_family", 2L).put("rtr_vrf_id", vrf)
            .put("rtr_prefix", new byte[] {(byte)(prefix >>> 24), (byte)(prefix >>> 16), (byte)(prefix >>> 8),
                (byte)prefix}).put("rtr_prefix_len", plen).put("rtr_nh_id", nh).put("rtr_label_flags", labelFlags);
        if (label >= 0)
        {
            o.put("rtr_label", label);
        }
        return program(o);
    }

    /**
     * Adds an IPv6 route.
     *
     * @param vrf        VRF.
     * @param prefix     16-byte prefix.
     * @param plen       length.
     * @param nh         next hop.
     * @param labelFlags label flags.
     * @return this.
     */
    public TestTopology route6(final int vrf, final byte[] prefix, final int plen, final int nh, final int labelFlags)
    {
        return program(new SandeshObject("vr_route_req").put("rtr_family", 10L).put("rtr_vrf_id", vrf)
            .put("rtr_prefix", prefix.clone()).put("rtr_prefix_len", plen).put("rtr_nh_id", nh)
            .put("rtr_label_flags", labelFlags));
    }

    /**
     * Adds a bridge entry.
     *
     * @param vrf VRF.
     * @param mac MAC.
     * @param nh  next hop.
     * @return this.
     */
    public TestTopology bridge(final int vrf, final long mac, final int nh)
    {
        return program(new SandeshObject("vr_route_req").put("rtr_family", 7L).put("rtr_vrf_id", vrf)
            .put("rtr_mac", macBytes(mac)).put("rtr_nh_id", nh));
    }

    /**
     * Maps a label to a next hop.
     *
     * @param label label.
     * @param nh    next hop.
     * @return this.
     */
    public TestTopology label(final int label, final int nh)
    {
        return program(new SandeshObject("vr_mpls_req").put("mr_label", label).put("mr_nhid", nh));
    }

    /**
     * One frame output.
     *
     * @param vif   interface it left on.
     * @param bytes the frame.
     */
    public record Output(int vif, byte[] bytes)
    {
    }

    /**
     * Plays frames arriving on one interface.
     *
     * @param inVif  ingress interface.
     * @param frames frames.
     * @return every frame sent, in order (dropped packets produce nothing).
     */
    public List<Output> send(final int inVif, final byte[]... frames)
    {
        batch.clear();
        for (final byte[] f : frames)
        {
            if (batch.add(inVif, f, 0, f.length) < 0)
            {
                throw new IllegalArgumentException("frame does not fit a batch slot");
            }
        }
        forwarder.process(batch);
        final List<Output> out = new ArrayList<>();
        for (int i = 0; i < batch.outputCount(); i++)
        {
            if (batch.outVif(i) != PacketBatch.DROPPED)
            {
                final byte[] b = new byte[batch.length(i)];
                batch.buffer(i).getBytes(batch.offset(i), b);
                out.add(new Output(batch.outVif(i), b));
            }
        }
        return out;
    }

    /**
     * 14 bytes of L2 rewrite: dst, src, IPv4 ethertype.
     *
     * @param dst destination MAC.
     * @param src source MAC.
     * @return the bytes.
     */
    public static byte[] l2(final long dst, final long src)
    {
        final byte[] b = new byte[14];
        System.arraycopy(macBytes(dst), 0, b, 0, 6);
        System.arraycopy(macBytes(src), 0, b, 6, 6);
        b[12] = 0x08;
        return b;
    }

    /**
     * A MAC as bytes.
     *
     * @param mac MAC.
     * @return 6 bytes.
     */
    public static byte[] macBytes(final long mac)
    {
        return Programmer.macBytes(mac);
    }
}
