package io.vrouter.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.vrouter.core.Tables;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.nh.MirrorTable;
import io.vrouter.encap.EntropyHash;

/**
 * {@code vr_flow_req}: {@code flow_set} (add with {@code fr_index = -1}, change by index, delete by
 * clearing ACTIVE), {@code flow_list} and {@code flow_table_get}, answering with Contrail's return
 * codes. Every field is validated before the table is touched, so a refused request changes
 * nothing. Field encodings follow vtest: addresses are the wire bytes read little-endian
 * ({@code fr_flow_sip_l = 16843009} is 1.1.1.1; IPv6 halves in {@code _u}/{@code _l}), ports are
 * the wire bytes read little-endian ({@code fr_flow_sport = 31} is port 7936).
 */
public final class FlowRequests
{
    /** {@code fr_op} flow_set. */
    public static final int OP_SET = 0;
    /** {@code fr_op} flow_list. */
    public static final int OP_LIST = 1;
    /** {@code fr_op} flow_table_get. */
    public static final int OP_TABLE_GET = 2;
    /** Entries answered per flow_list call. */
    public static final int LIST_BATCH = 100;

    private final FlowTable table;
    private final Tables tables;
    private final LongSupplier clock;
    private final FlowKey key = new FlowKey();
    private final FlowKey existingKey = new FlowKey();

    /**
     * Request handling over a table.
     *
     * @param table  the flow table.
     * @param tables the forwarding tables (sizes, mirror table).
     * @param clock  the table clock.
     */
    public FlowRequests(final FlowTable table, final Tables tables, final LongSupplier clock)
    {
        this.table = table;
        this.tables = tables;
        this.clock = clock;
    }

    /**
     * Applies a {@code vr_flow_req}.
     *
     * @param r the request.
     * @return the answer.
     * @throws RequestException with Contrail's errno when refused.
     */
    public Response apply(final SandeshObject r) throws RequestException
    {
        final int op = (int)r.getLong("fr_op", OP_SET);
        switch (op)
        {
            case OP_SET:
                return set(r);
            case OP_LIST:
                return list(r);
            case OP_TABLE_GET:
                return Response.of(0, List.of(tableInfo()));
            default:
                throw new RequestException(Errno.EINVAL, "vr_flow_req.fr_op: unknown operation " + op);
        }
    }

    private Response set(final SandeshObject r) throws RequestException
    {
        final int total = table.totalEntries();
        final int index = (int)r.getLong("fr_index", -1, -1, total - 1);
        final int flags = (int)r.getLong("fr_flags", 0, 0, 0xFFFF);
        if ((flags & ~FlowAction.REQUEST_FLAGS) != 0)
        {
            throw new RequestException(Errno.EINVAL, "vr_flow_req.fr_flags: unknown flags 0x"
                + Integer.toHexString(flags & ~FlowAction.REQUEST_FLAGS));
        }
        if ((flags & FlowAction.FLAG_ACTIVE) == 0)
        {
            if (index < 0)
            {
                throw new RequestException(Errno.EINVAL, "vr_flow_req: deleting (ACTIVE clear) needs fr_index");
            }
            requireActive(index, r);
            final int rindex = table.intField(index, FlowTable.E_RFLOW);
            table.delete(index, -1);
            if ((flags & FlowAction.FLAG_RFLOW_VALID) != 0 && rindex >= 0 && table.isActive(rindex))
            {
                table.delete(rindex, -1);
            }
            return Response.ok();
        }
        final int action = (int)r.getLong("fr_action", FlowAction.DROP, 0, FlowAction.COUNT - 1);
        final int family = (int)r.getLong("fr_family", FlowKey.AF_INET);
        if (family != FlowKey.AF_INET && family != FlowKey.AF_INET6)
        {
            throw new RequestException(Errno.EINVAL, "vr_flow_req.fr_family: " + family + " is not inet or inet6");
        }
        final int proto = (int)r.getLong("fr_flow_proto", 0, 0, 255);
        final int sport = Short.reverseBytes((short)r.getLong("fr_flow_sport", 0, 0, 65535)) & 0xFFFF;
        final int dport = Short.reverseBytes((short)r.getLong("fr_flow_dport", 0, 0, 65535)) & 0xFFFF;
        final int nh = (int)r.getLong("fr_flow_nh_id", 0, 0, tables.nextHops().size() - 1);
        final int vrf = (int)r.getLong("fr_flow_vrf", 0, 0, tables.config().vrfs() - 1);
        final int dvrf = (int)r.getLong("fr_flow_dvrf", vrf, 0, tables.config().vrfs() - 1);
        final int mirror = (int)r.getLong("fr_mir_id", -1, -1, tables.mirrors().size() - 1);
        final int rindex = (int)r.getLong("fr_rindex", -1, -1, total - 1);
        final int ecmp = (int)r.getLong("fr_ecmp_nh_index", -1, -1, Integer.MAX_VALUE);
        final int srcNh = (int)r.getLong("fr_src_nh_index", -1, -1, tables.nextHops().size() - 1);
        final int dropReason = (int)r.getLong("fr_drop_reason", 0, 0, 255);
        final long gen = r.getLong("fr_gen_id", -1, -1, 0xFFFFFF);
        final long sipL = r.getLong("fr_flow_sip_l", 0);
        final long sipU = r.getLong("fr_flow_sip_u", 0);
        final long dipL = r.getLong("fr_flow_dip_l", 0);
        final long dipU = r.getLong("fr_flow_dip_u", 0);
        if (family == FlowKey.AF_INET)
        {
            if (sipU != 0 || dipU != 0 || (sipL >>> 32) != 0 || (dipL >>> 32) != 0)
            {
                throw new RequestException(Errno.EINVAL, "vr_flow_req: an inet flow has 32-bit addresses");
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
            && (mirror < 0 || tables.mirrors().nhId(mirror) == MirrorTable.NO_NH))
        {
            throw new RequestException(Errno.ENOENT, "vr_flow_req.fr_mir_id: mirror " + mirror + " is not configured");
        }
        if ((flags & FlowAction.NAT_MASK) != 0 && action != FlowAction.NAT)
        {
            throw new RequestException(Errno.EINVAL, "vr_flow_req: NAT flags need fr_action 3 (NAT)");
        }
        if ((flags & FlowAction.FLAG_RFLOW_VALID) != 0 && (rindex < 0 || !table.isActive(rindex)))
        {
            throw new RequestException(Errno.EINVAL, "vr_flow_req.fr_rindex: reverse flow " + rindex
                + " is not an active entry");
        }
        final int udp = (int)r.getLong("fr_udp_src_port", defaultPort(vrf), 0, 65535);
        if (index >= 0)
        {
            requireActive(index, r);
            if (gen >= 0 && table.gen(index) != gen)
            {
                throw new RequestException(Errno.EEXIST, "vr_flow_req.fr_gen_id: entry " + index + " has generation "
                    + table.gen(index) + ", not " + gen);
            }
            table.readKey(index, existingKey);
            if (!sameKey(existingKey, key))
            {
                throw new RequestException(Errno.EINVAL, "vr_flow_req: entry " + index + " holds another key");
            }
            applyFields(index, mirror, ecmp, srcNh, dvrf, rindex, flags, dropReason);
            table.update(index, action, flags);
            return answer(index);
        }
        if (table.lookup(key, key.hash()) >= 0)
        {
            throw new RequestException(Errno.EEXIST, "vr_flow_req: the flow exists (entry "
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
                "vr_flow_req: no room for the flow (" + refusal(created) + ")");
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

    private void requireActive(final int index, final SandeshObject r) throws RequestException
    {
        if (!table.isActive(index))
        {
            throw new RequestException(Errno.ENOENT, "vr_flow_req.fr_index: entry " + index + " is not in use");
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
        return Response.of(0, List.of(new SandeshObject("vr_flow_req").put("fr_op", OP_SET)
            .put("fr_index", index).put("fr_gen_id", table.gen(index))));
    }

    private Response list(final SandeshObject r) throws RequestException
    {
        final int marker = (int)r.getLong("fr_index", -1, -1, table.totalEntries() - 1);
        final List<SandeshObject> out = new ArrayList<>();
        for (int i = marker + 1; i < table.totalEntries() && out.size() < LIST_BATCH; i++)
        {
            if (table.isActive(i))
            {
                out.add(describe(i));
            }
        }
        return Response.of(out.size(), out);
    }

    private SandeshObject describe(final int i)
    {
        final FlowKey k = table.readKey(i, new FlowKey());
        final SandeshObject o = new SandeshObject("vr_flow_req").put("fr_op", OP_LIST).put("fr_index", i)
            .put("fr_gen_id", table.gen(i)).put("fr_family", k.family).put("fr_flow_proto", k.proto)
            .put("fr_flow_nh_id", k.nhId)
            .put("fr_flow_sport", Short.reverseBytes((short)k.sport) & 0xFFFF)
            .put("fr_flow_dport", Short.reverseBytes((short)k.dport) & 0xFFFF)
            .put("fr_action", table.intField(i, FlowTable.E_ACTION))
            .put("fr_flags", table.intField(i, FlowTable.E_FLAGS))
            .put("fr_rindex", table.intField(i, FlowTable.E_RFLOW))
            .put("fr_flow_vrf", table.intField(i, FlowTable.E_VRF))
            .put("fr_flow_dvrf", table.intField(i, FlowTable.E_DVRF))
            .put("fr_mir_id", table.intField(i, FlowTable.E_MIRROR))
            .put("fr_ecmp_nh_index", table.intField(i, FlowTable.E_ECMP))
            .put("fr_src_nh_index", table.intField(i, FlowTable.E_SRC_NH))
            .put("fr_udp_src_port", table.intField(i, FlowTable.E_UDP_SPORT))
            .put("fr_drop_reason", table.intField(i, FlowTable.E_DROP_REASON));
        if (k.family == FlowKey.AF_INET)
        {
            o.put("fr_flow_sip_l", Integer.reverseBytes(k.src4()) & 0xFFFFFFFFL).put("fr_flow_sip_u", 0L)
                .put("fr_flow_dip_l", Integer.reverseBytes(k.dst4()) & 0xFFFFFFFFL).put("fr_flow_dip_u", 0L);
        }
        else
        {
            o.put("fr_flow_sip_l", Long.reverseBytes(k.srcLo)).put("fr_flow_sip_u", Long.reverseBytes(k.srcHi))
                .put("fr_flow_dip_l", Long.reverseBytes(k.dstLo)).put("fr_flow_dip_u", Long.reverseBytes(k.dstHi));
        }
        return o;
    }

    private SandeshObject tableInfo()
    {
        return new SandeshObject("vr_flow_table_data")
            .put("ftable_size", table.byteSize())
            .put("ftable_entries", table.totalEntries())
            .put("ftable_used_entries", table.activeEntries())
            .put("ftable_created", table.created())
            .put("ftable_added", table.added())
            .put("ftable_deleted", table.deleted())
            .put("ftable_changed", table.changed())
            .put("ftable_hold_entries", table.holdEntries())
            .put("ftable_oflow_entries", table.overflowUsed());
    }
}
