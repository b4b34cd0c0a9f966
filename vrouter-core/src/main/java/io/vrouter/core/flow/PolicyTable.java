package io.vrouter.core.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.RequestException;
import io.vrouter.wire.AddressFamily;

/**
 * Virtual networks and the rules between them, compiled for evaluation on the forwarding core
 * when a packet misses the flow table.
 * <p>
 * A network has an id, a name, the VRFs that belong to it and its IPv4 subnets. A packet's source
 * network is its ingress VRF's network; its destination network is, as in Contrail, the network of
 * the route the destination matches in the ingress VRF ({@link #updateRoutes}: the route's
 * {@code <virtual-network>}, longest prefix), else the network whose subnet holds the destination
 * (the VRF's own network when several subnets hold it, else the longest), else none. A VRF
 * that belongs to no network takes its source network from the route of the source address (no
 * route: undecided). Verdict: same network passes (implicit rule); otherwise the first rule that
 * matches decides (a {@code <>} rule also matches with source and destination swapped); no match
 * denies. The reverse direction of a decided flow is installed
 * with it, so replies of an allowed connection need no rule of their own.
 * <p>
 * Programming ({@link #program(List, List)}) runs on the conductor, validates everything before it
 * publishes one immutable compiled snapshot with a volatile write; workers read the snapshot
 * without locks. Route networks ({@link RouteNetworks}) are updated in place by the conductor and
 * read lock-free.
 * <p>
 * When the policy or a route's network changes, flows set up in line whose verdict may change are
 * flushed, both entries, so the next packet re-evaluates (given the flow table: {@link
 * #PolicyTable(FlowTable)}). Entries programmed or changed by {@code vr_flow_req} and HOLD entries
 * are left alone.
 */
public final class PolicyTable
{
    /** Verdict: deny. */
    public static final int DENY = 0;
    /** Verdict: pass. */
    public static final int PASS = 1;
    /** Verdict: the packet's VRF has no network; the flow cannot be decided in line. */
    public static final int UNDECIDED = 2;
    /** Network or endpoint wildcard. */
    public static final int ANY = -1;
    /** Protocol wildcard. */
    public static final int ANY_PROTOCOL = -1;
    /** VRFs a policy can map. */
    public static final int MAX_VRFS = 65536;

    /**
     * A virtual network.
     *
     * @param id      network id (0..65535), unique.
     * @param name    name, for listings.
     * @param vrfs    VRFs whose packets come from this network.
     * @param subnets IPv4 subnets as {@link Cidr}.
     */
    public record Network(int id, String name, int[] vrfs, List<Cidr> subnets)
    {
    }

    /**
     * An IPv4 prefix.
     *
     * @param address address (host order int, 10.0.0.0 = 0x0A000000).
     * @param length  prefix length 0..32.
     */
    public record Cidr(int address, int length)
    {
        /**
         * Parses {@code a.b.c.d/len}.
         *
         * @param text the prefix.
         * @return the CIDR.
         */
        public static Cidr parse(final String text)
        {
            final String[] parts = text.split("/");
            final String[] octets = parts[0].split("\\.");
            if (parts.length != 2 || octets.length != 4)
            {
                throw new IllegalArgumentException("not a CIDR: " + text);
            }
            int a = 0;
            for (final String o : octets)
            {
                final int v = Integer.parseInt(o);
                if (v < 0 || v > 255)
                {
                    throw new IllegalArgumentException("not a CIDR: " + text);
                }
                a = a << 8 | v;
            }
            return new Cidr(a, Integer.parseInt(parts[1]));
        }

        int mask()
        {
            return length == 0 ? 0 : -1 << (32 - length);
        }
    }

    /**
     * One end of a rule: a network id, or a CIDR, or anything.
     *
     * @param network network id or {@link #ANY}.
     * @param cidr    prefix (when network is ANY), or null for anything.
     */
    public record Endpoint(int network, Cidr cidr)
    {
        /** Anything. */
        public static final Endpoint ANYWHERE = new Endpoint(ANY, null);

        /**
         * A network end.
         *
         * @param id network id.
         * @return the endpoint.
         */
        public static Endpoint network(final int id)
        {
            return new Endpoint(id, null);
        }

        /**
         * A prefix end.
         *
         * @param cidr e.g. {@code 10.1.0.0/16}.
         * @return the endpoint.
         */
        public static Endpoint cidr(final String cidr)
        {
            return new Endpoint(ANY, Cidr.parse(cidr));
        }
    }

    /**
     * A rule ({@code src sport-range dir dst dport-range proto action}).
     *
     * @param src           source end.
     * @param dst           destination end.
     * @param protocol      IP protocol or {@link #ANY_PROTOCOL}.
     * @param srcPortLow    lowest source port.
     * @param srcPortHigh   highest source port.
     * @param dstPortLow    lowest destination port.
     * @param dstPortHigh   highest destination port.
     * @param bidirectional {@code <>} (else {@code >}).
     * @param pass          pass (else deny).
     */
    public record Rule(
        Endpoint src, Endpoint dst, int protocol, int srcPortLow, int srcPortHigh, int dstPortLow, int dstPortHigh,
        boolean bidirectional, boolean pass)
    {
        /**
         * A rule on any ports.
         *
         * @param src           source end.
         * @param dst           destination end.
         * @param protocol      protocol or ANY_PROTOCOL.
         * @param bidirectional {@code <>}.
         * @param pass          pass or deny.
         * @return the rule.
         */
        public static Rule of(final Endpoint src, final Endpoint dst, final int protocol, final boolean bidirectional,
            final boolean pass)
        {
            return new Rule(src, dst, protocol, 0, 65535, 0, 65535, bidirectional, pass);
        }
    }

    /**
     * A route's network.
     *
     * @param prefix  the route's prefix.
     * @param network the network id, or {@link RouteNetworks#NONE} to remove the prefix.
     */
    public record RouteNetwork(Cidr prefix, int network)
    {
    }

    /** Route changes in one update above which the whole VRF's in-line flows are flushed. */
    static final int FLUSH_PREFIXES = 32;

    /** The compiled form: flat arrays, read by workers. */
    private static final class Compiled
    {
        final short[] vrfNetwork = new short[MAX_VRFS];
        final int[] subnetAddress;
        final int[] subnetMask;
        final int[] subnetNetwork;
        final int[] srcNet;
        final int[] srcAddr;
        final int[] srcMask;
        final int[] dstNet;
        final int[] dstAddr;
        final int[] dstMask;
        final int[] proto;
        final int[] ports;
        final boolean[] both;
        final boolean[] pass;
        final int networks;

        Compiled(final List<Network> nets, final List<Rule> rules)
        {
            java.util.Arrays.fill(vrfNetwork, (short)-1);
            final List<int[]> subnets = new ArrayList<>();
            for (final Network n : nets)
            {
                for (final int v : n.vrfs())
                {
                    vrfNetwork[v] = (short)n.id();
                }
                for (final Cidr c : n.subnets())
                {
                    subnets.add(new int[] {c.address() & c.mask(), c.mask(), n.id(), c.length()});
                }
            }
            subnets.sort((a, b) -> Integer.compare(b[3], a[3]));
            subnetAddress = new int[subnets.size()];
            subnetMask = new int[subnets.size()];
            subnetNetwork = new int[subnets.size()];
            for (int i = 0; i < subnets.size(); i++)
            {
                subnetAddress[i] = subnets.get(i)[0];
                subnetMask[i] = subnets.get(i)[1];
                subnetNetwork[i] = subnets.get(i)[2];
            }
            final int n = rules.size();
            srcNet = new int[n];
            srcAddr = new int[n];
            srcMask = new int[n];
            dstNet = new int[n];
            dstAddr = new int[n];
            dstMask = new int[n];
            proto = new int[n];
            ports = new int[n * 4];
            both = new boolean[n];
            pass = new boolean[n];
            for (int i = 0; i < n; i++)
            {
                final Rule r = rules.get(i);
                srcNet[i] = r.src().network();
                srcMask[i] = r.src().cidr() == null ? 0 : r.src().cidr().mask();
                srcAddr[i] = r.src().cidr() == null ? 0 : r.src().cidr().address() & srcMask[i];
                dstNet[i] = r.dst().network();
                dstMask[i] = r.dst().cidr() == null ? 0 : r.dst().cidr().mask();
                dstAddr[i] = r.dst().cidr() == null ? 0 : r.dst().cidr().address() & dstMask[i];
                proto[i] = r.protocol();
                ports[i * 4] = r.srcPortLow();
                ports[i * 4 + 1] = r.srcPortHigh();
                ports[i * 4 + 2] = r.dstPortLow();
                ports[i * 4 + 3] = r.dstPortHigh();
                both[i] = r.bidirectional();
                pass[i] = r.pass();
            }
            networks = nets.size();
        }
    }

    private volatile Compiled compiled = new Compiled(List.of(), List.of());
    private volatile List<Network> networks = List.of();
    private volatile List<Rule> rules = List.of();
    private final RouteNetworks routes = new RouteNetworks();
    private final ServiceTable services = new ServiceTable();
    private final FabricSnat fabricSnat = new FabricSnat();
    private final FlowTable flows;
    private final FlowKey scratch = new FlowKey();
    private long flushed;

    /** A policy that flushes no flows (tests, benchmarks without a table). */
    public PolicyTable()
    {
        this(null);
    }

    /**
     * A policy whose changes flush the in-line flows of this table they may decide differently.
     *
     * @param flows the flow table, or null.
     */
    public PolicyTable(final FlowTable flows)
    {
        this.flows = flows;
    }

    /**
     * Replaces the networks and rules (conductor). Everything is validated first; on a refusal
     * nothing changes.
     *
     * @param nets  networks.
     * @param ruleList rules, in evaluation order.
     * @throws RequestException EINVAL for a bad field, EEXIST for a duplicate network id or VRF,
     *                          ENOENT for a rule naming an unknown network.
     */
    public void program(final List<Network> nets, final List<Rule> ruleList) throws RequestException
    {
        final Set<Integer> ids = new HashSet<>();
        final Set<Integer> vrfs = new HashSet<>();
        for (final Network n : nets)
        {
            if (n == null || n.id() < 0 || n.id() > Short.MAX_VALUE || n.vrfs() == null || n.subnets() == null)
            {
                throw new RequestException(Errno.EINVAL, "policy: network " + n + ": id must be 0..32767 with vrfs"
                    + " and subnets");
            }
            if (!ids.add(n.id()))
            {
                throw new RequestException(Errno.EEXIST, "policy: network id " + n.id() + " given twice");
            }
            for (final int v : n.vrfs())
            {
                if (v < 0 || v >= MAX_VRFS)
                {
                    throw new RequestException(Errno.EINVAL, "policy: network " + n.id() + ": VRF " + v
                        + " out of range");
                }
                if (!vrfs.add(v))
                {
                    throw new RequestException(Errno.EEXIST, "policy: VRF " + v + " is in two networks");
                }
            }
            for (final Cidr c : n.subnets())
            {
                checkCidr(c, "network " + n.id());
            }
        }
        int i = 0;
        for (final Rule r : ruleList)
        {
            final String where = "policy: rule " + i++;
            if (r == null || r.src() == null || r.dst() == null)
            {
                throw new RequestException(Errno.EINVAL, where + ": missing end");
            }
            checkEnd(r.src(), ids, where);
            checkEnd(r.dst(), ids, where);
            if (r.protocol() < ANY_PROTOCOL || r.protocol() > 255)
            {
                throw new RequestException(Errno.EINVAL, where + ": protocol " + r.protocol() + " out of range");
            }
            if (!portRange(r.srcPortLow(), r.srcPortHigh()) || !portRange(r.dstPortLow(), r.dstPortHigh()))
            {
                throw new RequestException(Errno.EINVAL, where + ": port range must be 0..65535, low <= high");
            }
        }
        final Compiled c = new Compiled(nets, ruleList);
        final boolean same = ruleList.equals(this.rules) && sameNetworks(nets, this.networks);
        this.networks = List.copyOf(nets);
        this.rules = List.copyOf(ruleList);
        this.compiled = c;
        if (!same)
        {
            flush(-1, null, 0);
        }
    }

    private static boolean sameNetworks(final List<Network> a, final List<Network> b)
    {
        if (a.size() != b.size())
        {
            return false;
        }
        for (int i = 0; i < a.size(); i++)
        {
            final Network x = a.get(i);
            final Network y = b.get(i);
            if (x.id() != y.id() || !Arrays.equals(x.vrfs(), y.vrfs()) || !x.subnets().equals(y.subnets()))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Sets or removes the networks of a VRF's routes (conductor). Everything is validated first; on a
     * refusal nothing changes. In-line flows of the VRF to or from a prefix whose network changed are
     * flushed.
     *
     * @param vrf    the VRF the routes are in.
     * @param routeList prefixes and their networks ({@link RouteNetworks#NONE} removes).
     * @return prefixes whose network changed.
     * @throws RequestException EINVAL for a VRF, prefix or network id out of range.
     */
    public int updateRoutes(final int vrf, final List<RouteNetwork> routeList) throws RequestException
    {
        checkVrf(vrf);
        for (final RouteNetwork r : routeList)
        {
            if (r == null)
            {
                throw new RequestException(Errno.EINVAL, "route networks: missing route");
            }
            checkCidr(r.prefix(), "route networks: VRF " + vrf);
            if (r.network() < RouteNetworks.NONE || r.network() > Short.MAX_VALUE)
            {
                throw new RequestException(Errno.EINVAL, "route networks: " + r.prefix() + ": network "
                    + r.network() + " must be 0..32767 or -1");
            }
        }
        final int[] changedAddress = new int[Math.min(routeList.size(), FLUSH_PREFIXES)];
        final int[] changedMask = new int[changedAddress.length];
        int changed = 0;
        for (final RouteNetwork r : routeList)
        {
            final Cidr p = r.prefix();
            final int old = routes.put(vrf, p.address(), p.length(), r.network());
            if (old != r.network())
            {
                if (changed < changedAddress.length)
                {
                    changedMask[changed] = p.mask();
                    changedAddress[changed] = p.address() & p.mask();
                }
                changed++;
            }
        }
        if (changed > 0)
        {
            if (changed > changedAddress.length)
            {
                flush(vrf, null, 0);
            }
            else
            {
                final int[] both = new int[changed * 2];
                for (int i = 0; i < changed; i++)
                {
                    both[i * 2] = changedAddress[i];
                    both[i * 2 + 1] = changedMask[i];
                }
                flush(vrf, both, changed);
            }
        }
        return changed;
    }

    /**
     * Removes every route network of a VRF (conductor), flushing the VRF's in-line flows if any was set.
     *
     * @param vrf the VRF.
     * @return prefixes removed.
     * @throws RequestException EINVAL for a VRF out of range.
     */
    public int clearRoutes(final int vrf) throws RequestException
    {
        checkVrf(vrf);
        final int removed = routes.clear(vrf);
        if (removed > 0)
        {
            flush(vrf, null, 0);
        }
        return removed;
    }

    /**
     * The ClusterIP services new flows are translated by (programmed beside the policy, read by the flow
     * stage on a miss).
     *
     * @return the table.
     */
    public ServiceTable services()
    {
        return services;
    }

    /**
     * The fabric SNAT new flows to non-overlay addresses are translated by (programmed beside the policy,
     * read by the flow stage on a miss).
     *
     * @return the table.
     */
    public FabricSnat fabricSnat()
    {
        return fabricSnat;
    }

    /**
     * The route networks.
     *
     * @return them (read-only use).
     */
    public RouteNetworks routeNetworks()
    {
        return routes;
    }

    /**
     * Flow entries flushed by policy and route changes so far.
     *
     * @return count of entries.
     */
    public long flushed()
    {
        return flushed;
    }

    private static void checkVrf(final int vrf) throws RequestException
    {
        if (vrf < 0 || vrf >= MAX_VRFS)
        {
            throw new RequestException(Errno.EINVAL, "route networks: VRF " + vrf + " out of range");
        }
    }

    /** Deletes in-line, request-untouched flow pairs of a VRF (-1: any) touching the prefixes (null: any). */
    private void flush(final int vrf, final int[] prefixes, final int count)
    {
        final FlowTable t = flows;
        if (t == null || t.readOnly() || t.activeEntries() == 0)
        {
            return;
        }
        final int total = t.totalEntries();
        for (int i = 0; i < total; i++)
        {
            final int state = t.stateWord(i);
            if ((state & 0xFF) != FlowTable.ACTIVE || !flushable(t, i)
                || (vrf >= 0 && t.intField(i, FlowTable.E_VRF) != vrf))
            {
                continue;
            }
            final int rflow = t.intField(i, FlowTable.E_RFLOW);
            final boolean paired = rflow >= 0 && rflow < total
                && (t.intField(i, FlowTable.E_FLAGS) & FlowAction.FLAG_RFLOW_VALID) != 0 && t.isActive(rflow);
            if (paired && !flushable(t, rflow))
            {
                continue;
            }
            if (prefixes != null && !touches(t, i, prefixes, count))
            {
                continue;
            }
            final int rgen = paired ? t.gen(rflow) : -1;
            if (t.delete(i, state >>> 8))
            {
                flushed++;
                if (paired && t.delete(rflow, rgen))
                {
                    flushed++;
                }
            }
        }
    }

    private static boolean flushable(final FlowTable t, final int i)
    {
        final int flags = t.intField(i, FlowTable.E_FLAGS);
        return (flags & FlowAction.FLAG_NEW_FLOW) != 0 && (flags & FlowAction.FLAG_MODIFIED) == 0
            && t.intField(i, FlowTable.E_ACTION) != FlowAction.HOLD;
    }

    private boolean touches(final FlowTable t, final int i, final int[] prefixes, final int count)
    {
        final FlowKey k = t.readKey(i, scratch);
        if (k.family != AddressFamily.INET)
        {
            return false;
        }
        final int s = k.src4();
        final int d = k.dst4();
        for (int p = 0; p < count; p++)
        {
            final int a = prefixes[p * 2];
            final int m = prefixes[p * 2 + 1];
            if ((s & m) == a || (d & m) == a)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean portRange(final int low, final int high)
    {
        return low >= 0 && high <= 65535 && low <= high;
    }

    private static void checkEnd(final Endpoint e, final Set<Integer> ids, final String where)
        throws RequestException
    {
        if (e.network() != ANY && !ids.contains(e.network()))
        {
            throw new RequestException(Errno.ENOENT, where + ": unknown network " + e.network());
        }
        if (e.network() != ANY && e.cidr() != null)
        {
            throw new RequestException(Errno.EINVAL, where + ": an end is a network or a prefix, not both");
        }
        if (e.cidr() != null)
        {
            checkCidr(e.cidr(), where);
        }
    }

    private static void checkCidr(final Cidr c, final String where) throws RequestException
    {
        if (c == null || c.length() < 0 || c.length() > 32)
        {
            throw new RequestException(Errno.EINVAL, where + ": bad prefix " + c);
        }
    }

    /**
     * The programmed networks.
     *
     * @return networks.
     */
    public List<Network> networks()
    {
        return networks;
    }

    /**
     * The programmed rules.
     *
     * @return rules.
     */
    public List<Rule> rules()
    {
        return rules;
    }

    /**
     * The network of a VRF.
     *
     * @param vrf VRF.
     * @return network id or -1.
     */
    public int networkOfVrf(final int vrf)
    {
        return vrf >= 0 && vrf < MAX_VRFS ? compiled.vrfNetwork[vrf] : -1;
    }

    /**
     * Decides a new flow (worker, allocation-free).
     *
     * @param k      the packet's key (IPv4 addresses are matched against prefixes; IPv6 only by network/any).
     * @param srcVrf the VRF the packet comes from.
     * @return {@link #PASS}, {@link #DENY} or {@link #UNDECIDED}.
     */
    public int evaluate(final FlowKey k, final int srcVrf)
    {
        final Compiled c = compiled;
        final boolean v4 = k.family == AddressFamily.INET;
        final int sip = k.src4();
        final int dip = k.dst4();
        int srcNet = srcVrf >= 0 && srcVrf < MAX_VRFS ? c.vrfNetwork[srcVrf] : -1;
        if (srcNet < 0 && v4)
        {
            srcNet = routes.lookup(srcVrf, sip);
        }
        if (srcNet < 0)
        {
            return UNDECIDED;
        }
        final int dstNet = v4 ? networkOf(c, srcVrf, dip, srcNet) : -1;
        if (dstNet == srcNet)
        {
            return PASS;
        }
        final int n = c.proto.length;
        for (int i = 0; i < n; i++)
        {
            if (c.proto[i] != ANY_PROTOCOL && c.proto[i] != k.proto)
            {
                continue;
            }
            if (matchEnd(c.srcNet[i], c.srcAddr[i], c.srcMask[i], srcNet, sip, v4)
                && matchEnd(c.dstNet[i], c.dstAddr[i], c.dstMask[i], dstNet, dip, v4)
                && inRange(c.ports, i * 4, k.sport) && inRange(c.ports, i * 4 + 2, k.dport))
            {
                return c.pass[i] ? PASS : DENY;
            }
            if (c.both[i]
                && matchEnd(c.srcNet[i], c.srcAddr[i], c.srcMask[i], dstNet, dip, v4)
                && matchEnd(c.dstNet[i], c.dstAddr[i], c.dstMask[i], srcNet, sip, v4)
                && inRange(c.ports, i * 4, k.dport) && inRange(c.ports, i * 4 + 2, k.sport))
            {
                return c.pass[i] ? PASS : DENY;
            }
        }
        return DENY;
    }

    private static boolean inRange(final int[] ports, final int at, final int port)
    {
        return port >= ports[at] && port <= ports[at + 1];
    }

    private static boolean matchEnd(
        final int net, final int addr, final int mask, final int packetNet, final int ip, final boolean v4)
    {
        if (net != ANY)
        {
            return net == packetNet;
        }
        if (mask == 0 && addr == 0)
        {
            return true;
        }
        return v4 && (ip & mask) == addr;
    }

    /** Route network first, then subnets: the preferred network's if it has one holding ip, else the longest. */
    private int networkOf(final Compiled c, final int vrf, final int ip, final int preferred)
    {
        final int byRoute = routes.lookup(vrf, ip);
        if (byRoute >= 0)
        {
            return byRoute;
        }
        final int[] a = c.subnetAddress;
        int found = -1;
        for (int i = 0; i < a.length; i++)
        {
            if ((ip & c.subnetMask[i]) == a[i])
            {
                final int n = c.subnetNetwork[i];
                if (n == preferred || preferred < 0)
                {
                    return n;
                }
                if (found < 0)
                {
                    found = n;
                }
            }
        }
        return found;
    }

    /**
     * The network an address resolves to from a VRF: its route's network, else by subnet (test and
     * listing aid).
     *
     * @param vrf VRF.
     * @param ip  IPv4 address (host order).
     * @return network id or -1.
     */
    public int networkOfAddress(final int vrf, final int ip)
    {
        return networkOf(compiled, vrf, ip, networkOfVrf(vrf));
    }
}
