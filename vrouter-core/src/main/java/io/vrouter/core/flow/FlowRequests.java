package io.vrouter.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.vrouter.core.nh.MirrorTable;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.FlowRequest;
import io.vrouter.core.request.FlowTableData;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshField;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.encap.EntropyHash;
import io.vrouter.wire.AddressFamily;

/**
 * {@code vr_flow_req} ({@link FlowRequest}): {@code flow_set} (add with {@code fr_index = -1}, change
 * by index, delete by clearing ACTIVE), {@code flow_list} and {@code flow_table_get}, answering with
 * Contrail's return codes. Every field is validated before the table is touched, so a refused request
 * changes nothing: the record's own rules first ({@link FlowRequest#validate()}), then those that
 * depend on the flags and action (defined here, in {@link FlowAction}) and the references to the
 * tables. Field encodings follow vtest: addresses are the wire bytes read little-endian
 * ({@code fr_flow_sip_l = 16843009} is 1.1.1.1; IPv6 halves in {@code _u}/{@code _l}), ports are
 * the wire bytes read little-endian ({@code fr_flow_sport = 31} is port 7936).
 */
public final class FlowRequests
{
    /** Entries answered per flow_list call. */
    public static final int LIST_BATCH = 100;

    private final FlowTable table;
    private final NextHopTable nextHops;
    private final MirrorTable mirrors;
    private final int vrfs;
    private final LongSupplier clock;
    private final FlowKey key = new FlowKey();
    private final FlowKey existingKey = new FlowKey();

    /**
     * Request handling over a table.
     *
     * @param table    the flow table.
     * @param nextHops the next-hop table (its size bounds the key's and the RPF next hop).
     * @param mirrors  the mirror table (a mirrored flow's entry must be set).
     * @param vrfs     the number of VRFs.
     * @param clock    the table clock.
     */
    public FlowRequests(final FlowTable table, final NextHopTable nextHops, final MirrorTable mirrors,
        final int vrfs, final LongSupplier clock)
    {
        this.table = table;
        this.nextHops = nextHops;
        this.mirrors = mirrors;
        this.vrfs = vrfs;
        this.clock = clock;
    }

    /**
     * Applies a {@code vr_flow_req}.
     *
     * @param r the request, its own rules checked.
     * @return the answer.
     * @throws RequestException with Contrail's errno when refused.
     */
    public Response apply(final FlowRequest r) throws RequestException
    {
        switch (r.frOp())
        {
            case FlowRequest.OP_SET:
                return set(r);
            case FlowRequest.OP_LIST:
                return list(r);
            case FlowRequest.OP_TABLE_GET:
                return Response.of(0, List.of(tableInfo()));
            default:
                throw refuse(FlowRequest.Field.FR_OP, "unknown operation " + r.frOp());
        }
    }

    private static RequestException refuse(final SandeshField f, final String why)
    {
        return new RequestException(Errno.EINVAL, f.path() + ": " + why);
    }

    private static void range(final SandeshField f, final long value, final long min, final long max)
        throws RequestException
    {
        if (value < min || value > max)
        {
            throw refuse(f, value + " not in [" + min + ", " + max + "]");
        }
    }

    private Response set(final FlowRequest r) throws RequestException
    {
        final int total = table.totalEntries();
        final int index = r.index();
        range(FlowRequest.Field.FR_INDEX, index, -1, total - 1);
        final int flags = r.flags();
        if ((flags & ~FlowAction.REQUEST_FLAGS) != 0)
        {
            throw refuse(FlowRequest.Field.FR_FLAGS, "unknown flags 0x"
                + Integer.toHexString(flags & ~FlowAction.REQUEST_FLAGS));
        }
        if ((flags & FlowAction.FLAG_ACTIVE) == 0)
        {
            if (index < 0)
            {
                throw new RequestException(Errno.EINVAL, FlowRequest.TYPE
                    + ": deleting (ACTIVE clear) needs fr_index");
            }
            requireActive(index);
            final int rindex = table.intField(index, FlowTable.E_RFLOW);
            table.delete(index, -1);
            if ((flags & FlowAction.FLAG_RFLOW_VALID) != 0 && rindex >= 0 && table.isActive(rindex))
            {
                table.delete(rindex, -1);
            }
            return Response.ok();
        }
        final int action = r.action();
        range(FlowRequest.Field.FR_ACTION, action, 0, FlowAction.COUNT - 1);
        final int family = r.family();
        if (family != AddressFamily.INET && family != AddressFamily.INET6)
        {
            throw refuse(FlowRequest.Field.FR_FAMILY, family + " is not inet or inet6");
        }
        final int proto = r.proto();
        range(FlowRequest.Field.FR_FLOW_PROTO, proto, 0, 255);
        range(FlowRequest.Field.FR_FLOW_SPORT, r.sport(), 0, 65535);
        range(FlowRequest.Field.FR_FLOW_DPORT, r.dport(), 0, 65535);
        final int sport = Short.reverseBytes((short)r.sport()) & 0xFFFF;
        final int dport = Short.reverseBytes((short)r.dport()) & 0xFFFF;
        final int nh = r.nhId();
        range(FlowRequest.Field.FR_FLOW_NH_ID, nh, 0, nextHops.size() - 1);
        final int vrf = r.vrf();
        range(FlowRequest.Field.FR_FLOW_VRF, vrf, 0, vrfs - 1);
        final int dvrf = r.dvrf() == SandeshRecord.UNSET ? vrf : r.dvrf();
        range(FlowRequest.Field.FR_FLOW_DVRF, dvrf, 0, vrfs - 1);
        final int mirror = r.mirId();
        range(FlowRequest.Field.FR_MIR_ID, mirror, -1, mirrors.size() - 1);
        final int rindex = r.rindex();
        range(FlowRequest.Field.FR_RINDEX, rindex, -1, total - 1);
        final int ecmp = r.ecmpNhIndex();
        range(FlowRequest.Field.FR_ECMP_NH_INDEX, ecmp, -1, Integer.MAX_VALUE);
        final int srcNh = r.srcNhIndex();
        range(FlowRequest.Field.FR_SRC_NH_INDEX, srcNh, -1, nextHops.size() - 1);
        final int dropReason = r.dropReason();
        range(FlowRequest.Field.FR_DROP_REASON, dropReason, 0, 255);
        final long gen = r.genId();
        range(FlowRequest.Field.FR_GEN_ID, gen, -1, FlowRequest.MAX_GEN_ID);
        final long sipL = r.sipL();
        final long sipU = r.sipU();
        final long dipL = r.dipL();
        final long dipU = r.dipU();
        if (family == AddressFamily.INET)
        {
            if (sipU != 0 || dipU != 0 || (sipL >>> 32) != 0 || (dipL >>> 32) != 0)
            {
                throw new RequestException(Errno.EINVAL, FlowRequest.TYPE + ": an inet flow has 32-bit addresses");
            }
            key.set4(nh, proto, Integer.reverseBytes((int)sipL), Integer.reverseBytes((int)dipL), sport, dport);
        }
        else
        {
            key.nhId = nh;
            key.family = family;
            key.proto = proto;
            key.sport = sport;
            key.dport = dport;
            key.srcHi = Long.reverseBytes(sipU);
            key.srcLo = Long.reverseBytes(sipL);
            key.dstHi = Long.reverseBytes(dipU);
            key.dstLo = Long.reverseBytes(dipL);
        }
        if ((flags & FlowAction.FLAG_MIRROR) != 0
            && (mirror < 0 || mirrors.nhId(mirror) == MirrorTable.NO_NH))
        {
            throw new RequestException(Errno.ENOENT, FlowRequest.Field.FR_MIR_ID.path() + ": mirror " + mirror
                + " is not configured");
        }
        if ((flags & FlowAction.NAT_MASK) != 0 && action != FlowAction.NAT)
        {
            throw new RequestException(Errno.EINVAL, FlowRequest.TYPE + ": NAT flags need fr_action 3 (NAT)");
        }
        if ((flags & FlowAction.FLAG_RFLOW_VALID) != 0 && (rindex < 0 || !table.isActive(rindex)))
        {
            throw refuse(FlowRequest.Field.FR_RINDEX, "reverse flow " + rindex + " is not an active entry");
        }
        final int udp = r.udpSrcPort() == SandeshRecord.UNSET ? defaultPort(vrf) : r.udpSrcPort();
        range(FlowRequest.Field.FR_UDP_SRC_PORT, udp, 0, 65535);
        if (index >= 0)
        {
            requireActive(index);
            if (gen >= 0 && table.gen(index) != gen)
            {
                throw new RequestException(Errno.EEXIST, FlowRequest.Field.FR_GEN_ID.path() + ": entry " + index
                    + " has generation " + table.gen(index) + ", not " + gen);
            }
            table.readKey(index, existingKey);
            if (!sameKey(existingKey, key))
            {
                throw new RequestException(Errno.EINVAL, FlowRequest.TYPE + ": entry " + index + " holds another key");
            }
            applyFields(index, mirror, ecmp, srcNh, dvrf, rindex, flags, dropReason);
            table.update(index, action, flags);
            return answer(index);
        }
        if (table.lookup(key, key.hash()) >= 0)
        {
            throw new RequestException(Errno.EEXIST, FlowRequest.TYPE + ": the flow exists (entry "
                + table.lookup(key, key.hash()) + "); change it by fr_index");
        }
        final FlowTable.Setup s = new FlowTable.Setup();
        s.action = action;
        s.flags = flags & ~(FlowAction.FLAG_ACTIVE | FlowAction.FLAG_RFLOW_VALID);
        s.vrf = vrf;
        s.dvrf = dvrf;
        s.mirror = mirror;
        s.ecmp = ecmp;
        s.srcNh = srcNh;
        s.dropReason = dropReason;
        s.udpSport = udp;
        s.ownerVif = -1;
        s.withReverse = false;
        s.inline = false;
        final int created = table.insert(key, key.hash(), key, key.hash(), s, clock.getAsLong());
        if (created < 0)
        {
            throw new RequestException(created == FlowTable.FULL ? Errno.ENOSPC : Errno.ENOMEM,
                FlowRequest.TYPE + ": no room for the flow (" + refusal(created) + ")");
        }
        if (rindex >= 0)
        {
            applyFields(created, mirror, ecmp, srcNh, dvrf, rindex, flags, dropReason);
            table.update(created, action, flags);
        }
        return answer(created);
    }

    private int defaultPort(final int vrf)
    {
        final boolean ports = key.proto == 6 || key.proto == 17;
        return EntropyHash.portFromHash(EntropyHash.ipHash(key.src4(), key.dst4(), vrf, ports ? key.sport : 0,
            ports ? key.dport : 0));
    }

    private static String refusal(final int code)
    {
        switch (code)
        {
            case FlowTable.FULL:
                return "table full";
            case FlowTable.VRF_LIMIT:
                return "VRF limit";
            case FlowTable.HOLD_LIMIT:
                return "hold limit";
            default:
                return "limit " + code;
        }
    }

    private void applyFields(final int index, final int mirror, final int ecmp, final int srcNh, final int dvrf,
        final int rindex, final int flags, final int dropReason)
    {
        table.putIntField(index, FlowTable.E_MIRROR, mirror);
        table.putIntField(index, FlowTable.E_ECMP, ecmp);
        table.putIntField(index, FlowTable.E_SRC_NH, srcNh);
        table.putIntField(index, FlowTable.E_DVRF, dvrf);
        table.putIntField(index, FlowTable.E_DROP_REASON, dropReason);
        if ((flags & FlowAction.FLAG_RFLOW_VALID) != 0)
        {
            table.putIntField(index, FlowTable.E_RFLOW, rindex);
        }
    }

    private void requireActive(final int index) throws RequestException
    {
        if (!table.isActive(index))
        {
            throw new RequestException(Errno.ENOENT, FlowRequest.Field.FR_INDEX.path() + ": entry " + index
                + " is not in use");
        }
    }

    private static boolean sameKey(final FlowKey a, final FlowKey b)
    {
        return a.nhId == b.nhId && a.family == b.family && a.proto == b.proto && a.sport == b.sport
            && a.dport == b.dport && a.srcHi == b.srcHi && a.srcLo == b.srcLo && a.dstHi == b.dstHi
            && a.dstLo == b.dstLo;
    }

    private Response answer(final int index)
    {
        return Response.of(0, List.of(FlowRequest.builder().frOp(FlowRequest.OP_SET).index(index)
            .genId(table.gen(index)).build()));
    }

    private Response list(final FlowRequest r) throws RequestException
    {
        final int marker = r.index();
        range(FlowRequest.Field.FR_INDEX, marker, -1, table.totalEntries() - 1);
        final List<FlowRequest> out = new ArrayList<>();
        for (int i = marker + 1; i < table.totalEntries() && out.size() < LIST_BATCH; i++)
        {
            if (table.isActive(i))
            {
                out.add(describe(i));
            }
        }
        return Response.of(out.size(), out);
    }

    private FlowRequest describe(final int i)
    {
        final FlowKey k = table.readKey(i, new FlowKey());
        final FlowRequest.Builder b = FlowRequest.builder()
            .frOp(FlowRequest.OP_LIST)
            .index(i)
            .genId(table.gen(i))
            .family(k.family)
            .proto(k.proto)
            .nhId(k.nhId)
            .ports(Short.reverseBytes((short)k.sport) & 0xFFFF, Short.reverseBytes((short)k.dport) & 0xFFFF)
            .action(table.intField(i, FlowTable.E_ACTION))
            .flags(table.intField(i, FlowTable.E_FLAGS))
            .rindex(table.intField(i, FlowTable.E_RFLOW))
            .vrf(table.intField(i, FlowTable.E_VRF))
            .dvrf(table.intField(i, FlowTable.E_DVRF))
            .mirId(table.intField(i, FlowTable.E_MIRROR))
            .ecmpNhIndex(table.intField(i, FlowTable.E_ECMP))
            .srcNhIndex(table.intField(i, FlowTable.E_SRC_NH))
            .udpSrcPort(table.intField(i, FlowTable.E_UDP_SPORT))
            .dropReason(table.intField(i, FlowTable.E_DROP_REASON));
        if (k.family == AddressFamily.INET)
        {
            b.source(Integer.reverseBytes(k.src4()) & 0xFFFFFFFFL, 0)
                .destination(Integer.reverseBytes(k.dst4()) & 0xFFFFFFFFL, 0);
        }
        else
        {
            b.source(Long.reverseBytes(k.srcLo), Long.reverseBytes(k.srcHi))
                .destination(Long.reverseBytes(k.dstLo), Long.reverseBytes(k.dstHi));
        }
        return b.build();
    }

    private FlowTableData tableInfo()
    {
        return new FlowTableData(table.byteSize(), table.totalEntries(), table.activeEntries(), table.created(),
            table.added(), table.deleted(), table.changed(), table.holdEntries(), table.overflowUsed(),
            table.file() == null ? "" : table.file().toAbsolutePath().toString());
    }
}
