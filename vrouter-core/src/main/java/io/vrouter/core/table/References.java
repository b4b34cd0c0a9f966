package io.vrouter.core.table;

import io.vrouter.core.bridge.BridgeEntry;
import io.vrouter.core.fib.Fib6Leaf;
import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.fib.Ip4Fib;
import io.vrouter.core.fib.Ip6Fib;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.nh.MirrorTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopMap;
import io.vrouter.core.nh.NextHopTable;

/**
 * Reference counts of interfaces and next hops, as {@code vif} ({@code Ref:}) and {@code nh}
 * ({@code Ref_cnt:}) show them: how many entries of the tables name each object, plus one for the
 * object's own table.
 * <ul>
 *   <li>An interface is referenced by its table and by every next hop whose outgoing interface it is
 *       (interface, tunnel, receive next hops: Contrail's {@code nh_dev}).</li>
 *   <li>A next hop is referenced by its table; by every IPv4 and IPv6 route that {@code rt --dump} lists
 *       with it (a route hidden entirely by more-specific ones has no leaf and holds none, as in the mtrie);
 *       by every bridge entry, MPLS label and VXLAN VNI mapped to it; by every member slot of a composite
 *       next hop that names it; by every mirror entry; and by every interface whose {@code vifr_nh_id} it
 *       is (an id above 0: 0 is the field's unset default). Flows are not counted: they name next hops
 *       by id and are made on the packet path.</li>
 * </ul>
 * References are counted by id, so a route that still names a deleted next hop counts again when a next
 * hop with that id is added back.
 * <p>
 * The counts are taken on the control path when an answer needs them: one pass over the tables
 * ({@link #count(Tables)}) by the tables' writer thread (the FIB walks require it), so they are exact
 * after any sequence of adds, replacements and deletes, and nothing is kept or updated per packet.
 */
public final class References
{
    private final int[] vifRefs;
    private final int[] nhRefs;

    private References(final int[] vifRefs, final int[] nhRefs)
    {
        this.vifRefs = vifRefs;
        this.nhRefs = nhRefs;
    }

    /**
     * Counts the references held in a set of tables (writer thread: it walks the FIBs).
     *
     * @param tables the tables.
     * @return the counts.
     */
    public static References count(final Tables tables)
    {
        final InterfaceTable interfaces = tables.interfaces();
        final NextHopTable nextHops = tables.nextHops();
        final int[] vifRefs = new int[interfaces.size()];
        final int[] nhRefs = new int[nextHops.size()];
        for (int i = 0; i < interfaces.size(); i++)
        {
            final Vif vif = interfaces.get(i);
            if (vif != null)
            {
                vifRefs[i]++;
                if (vif.nhId() > 0)
                {
                    hold(nhRefs, vif.nhId());
                }
            }
        }
        for (int id = 0; id < nextHops.size(); id++)
        {
            final NextHop nh = nextHops.get(id);
            if (nh != null)
            {
                nhRefs[id]++;
                hold(vifRefs, nh.oif());
                for (final int member : nh.members())
                {
                    hold(nhRefs, member);
                }
            }
        }
        countMap(tables.labels(), nhRefs);
        countMap(tables.vxlan(), nhRefs);
        final MirrorTable mirrors = tables.mirrors();
        for (int i = 0; i < mirrors.size(); i++)
        {
            hold(nhRefs, mirrors.nhId(i));
        }
        for (final BridgeEntry e : tables.bridge().entries(-1))
        {
            hold(nhRefs, e.nhId());
        }
        countRoutes(tables, nhRefs);
        return new References(vifRefs, nhRefs);
    }

    private static void countMap(final NextHopMap map, final int[] nhRefs)
    {
        for (int key = 0; key < map.size(); key++)
        {
            hold(nhRefs, map.nhId(key));
        }
    }

    private static void countRoutes(final Tables tables, final int[] nhRefs)
    {
        final FibEntries entries = tables.fibEntries();
        for (int vrf = 0; vrf < tables.fibs().maxVrfs(); vrf++)
        {
            final Ip4Fib fib4 = tables.fibs().ip4(vrf);
            if (fib4 != null)
            {
                fib4.forEachRoute((prefix, plen, leaf) -> hold(nhRefs, FibLeaf.nhId(leaf, entries)));
            }
            final Ip6Fib fib6 = tables.fibs().ip6(vrf);
            if (fib6 != null)
            {
                fib6.forEachRoute((hi, lo, plen, leaf) -> hold(nhRefs, Fib6Leaf.nhId(leaf, entries)));
            }
        }
    }

    private static void hold(final int[] refs, final int id)
    {
        if (id >= 0 && id < refs.length)
        {
            refs[id]++;
        }
    }

    /**
     * An interface's count.
     *
     * @param index vif index.
     * @return references to it (0 when out of range).
     */
    public int vif(final int index)
    {
        return index >= 0 && index < vifRefs.length ? vifRefs[index] : 0;
    }

    /**
     * A next hop's count.
     *
     * @param id NH id.
     * @return references to it (0 when out of range).
     */
    public int nextHop(final int id)
    {
        return id >= 0 && id < nhRefs.length ? nhRefs[id] : 0;
    }
}
