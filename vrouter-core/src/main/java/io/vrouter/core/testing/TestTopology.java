package io.vrouter.core.testing;

import java.util.ArrayList;
import java.util.List;

import io.vrouter.core.VRouter;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.wire.AddressFamily;

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
    public TestTopology program(final SandeshRecord request)
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
        return program(InterfaceRequest.builder().idx(idx).type(type).name("vif" + idx).vrf(vrf).mac(mac).mtu(mtu)
            .flags(flags).transport(0).build());
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
        return program(NextHopRequest.builder().id(id).type(NextHopType.ENCAP).family(family).oif(oif)
            .encap(l2(dst, src)).flags(flags).build());
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
        return program(NextHopRequest.builder().id(id).type(NextHopType.TUNNEL).family(AddressFamily.INET).oif(oif)
            .encap(l2(dstMac, srcMac)).tunnel(Integer.reverseBytes(sip), Integer.reverseBytes(dip)).flags(flags)
            .build());
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
        final NextHopRequest.Builder b = NextHopRequest.builder().id(id).type(type).vrf(vrf).flags(1);
        if (oif >= 0)
        {
            b.oif(oif);
        }
        return program(b.build());
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
        final RouteRequest.Builder b = RouteRequest.builder().family(AddressFamily.INET).vrfId(vrf)
            .prefix(new byte[] {(byte)(prefix >>> 24), (byte)(prefix >>> 16), (byte)(prefix >>> 8), (byte)prefix},
                plen).nhId(nh).labelFlags(labelFlags);
        if (label >= 0)
        {
            b.label(label);
        }
        return program(b.build());
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
        return program(RouteRequest.builder().family(AddressFamily.INET6).vrfId(vrf).prefix(prefix.clone(), plen)
            .nhId(nh).labelFlags(labelFlags).build());
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
        return program(RouteRequest.builder().family(AddressFamily.BRIDGE).vrfId(vrf).mac(mac).nhId(nh).build());
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
        return program(MplsRequest.add(label, nh));
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
        final int[] inVifs = new int[frames.length];
        java.util.Arrays.fill(inVifs, inVif);
        return send(inVifs, frames);
    }

    /**
     * Plays frames arriving on several interfaces, in one batch.
     *
     * @param inVifs ingress interface of each frame.
     * @param frames frames.
     * @return every frame sent, in order (dropped packets produce nothing).
     */
    public List<Output> send(final int[] inVifs, final byte[][] frames)
    {
        batch.clear();
        for (int i = 0; i < frames.length; i++)
        {
            if (batch.add(inVifs[i], frames[i], 0, frames[i].length) < 0)
            {
                throw new IllegalArgumentException("frame does not fit a batch slot");
            }
        }
        forwarder.process(batch);
        return outputs();
    }

    /**
     * Plays one frame as a pod port with offloads hands it over with a partial checksum
     * ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the field holds the pseudo-header's sum).
     *
     * @param inVif      ingress interface.
     * @param frame      the frame.
     * @param csumStart  where the checksum's coverage starts, from the frame's start.
     * @param csumOffset the field's offset from there.
     * @return every frame sent, in order.
     */
    public List<Output> sendPartialChecksum(final int inVif, final byte[] frame, final int csumStart,
        final int csumOffset)
    {
        batch.clear();
        final int slot = batch.add(inVif, frame, 0, frame.length);
        batch.offload(slot, PacketBatch.VNET_F_NEEDS_CSUM, PacketBatch.GSO_NONE, 0, PacketBatch.HEADROOM + csumStart,
            csumOffset);
        forwarder.process(batch);
        return outputs();
    }

    private List<Output> outputs()
    {
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
        return Requests.macBytes(mac);
    }
}
