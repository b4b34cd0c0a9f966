package io.vrouter.core.graph;

/**
 * Indices of the graph's fixed nodes: the input, bridge, L3 input and lookup, flow and drop nodes every
 * worker's graph has. The output nodes of the next-hop kinds follow from {@link #FIRST_KIND_NODE} on,
 * numbered by the next-hop kind registry. The graph runs its nodes in index order, pass after pass, so
 * this order (inputs before lookups before outputs) is also the order most packets take.
 */
public final class NodeIds
{
    /**
     * Every received frame: counts it, mirrors it if the interface says so; a frame from the fabric goes on
     * to {@link #FABRIC_INPUT}, one from a pod is classified (VLAN, ARP, neighbour solicitation, the ingress
     * flow, bridging).
     */
    public static final int ETHERNET_INPUT = 0;
    /** A frame from the fabric: outer IPv4 lookup to this node's receive next hop. */
    public static final int FABRIC_INPUT = 1;
    /** Removes the outer headers of MPLSoUDP, MPLSoGRE and VXLAN. */
    public static final int TUNNEL_DECAP = 2;
    /** The MPLS label to its next hop. */
    public static final int MPLS_INPUT = 3;
    /** The VXLAN VNI to its next hop. */
    public static final int VXLAN_INPUT = 4;
    /** ARP requests answered by the vRouter (proxy). */
    public static final int ARP_INPUT = 5;
    /** IPv6 neighbour solicitations answered by the vRouter (proxy). */
    public static final int ND_INPUT = 6;
    /** (VRF, destination MAC) to the bridge entry's next hop. */
    public static final int BRIDGE_LOOKUP = 7;
    /**
     * The L2-receive next hop's node, where bridging becomes routing: IPv4 and IPv6 checks of a packet from a
     * pod (header, TTL, the flow).
     */
    public static final int IP_INPUT = 8;
    /** The flow table and the compiled policy: pass (to the slot's resume node), drop or hold. */
    public static final int FLOW = 9;
    /** IPv4 longest-prefix match in the slot's VRF. */
    public static final int IP4_LOOKUP = 10;
    /** IPv6 longest-prefix match in the slot's VRF. */
    public static final int IP6_LOOKUP = 11;
    /** The discard next hop's node (next hop 0): counts the VRF's discards and drops. */
    public static final int DISCARD = 12;
    /** Where a packet goes that has nowhere to go (a next hop of a kind that cannot carry it). */
    public static final int NOWHERE = 13;
    /** Index of the first next-hop kind output node. */
    public static final int FIRST_KIND_NODE = 14;

    private static final String[] NAMES =
    {
        "ethernet-input", "fabric-input", "tunnel-decap", "mpls-input", "vxlan-input", "arp-input", "nd-input",
        "bridge-lookup", "ip-input", "flow", "ip4-lookup", "ip6-lookup", "discard", "nowhere-to-go",
    };

    private NodeIds()
    {
    }

    /**
     * The name of a fixed node.
     *
     * @param id a fixed node's index.
     * @return its name, or null for an index at or past {@link #FIRST_KIND_NODE}.
     */
    public static String fixedName(final int id)
    {
        return id >= 0 && id < NAMES.length ? NAMES[id] : null;
    }
}
