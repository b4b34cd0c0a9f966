package io.vrouter.core.flow;

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.RequestException;

/**
 * Fabric SNAT ({@code ip_fabric_snat}), compiled for the flow stage's miss path: a new IPv4 flow from a
 * VRF that has it, to an address outside every overlay network (no route network, no network subnet),
 * leaves with the node's fabric address as its source and a source port (ICMP echo: identifier) taken from
 * the node's range; the reverse entry, keyed as the reply arrives in the fabric VRF, translates the
 * destination back to the pod's address and port (Contrail's agent does this with a flow pair whose
 * reverse key holds the translated values; so does {@link FlowStage}, reusing the NAT it has for services).
 * <p>
 * Each node has its own port range (the controller hands them out so that two nodes' translations never
 * share a port); a port is free when no flow's reverse key already holds it for the same remote address,
 * remote port and protocol. A new flow that finds no free port is dropped as
 * {@code FLOW_SNAT_NO_PORT} ("Fabric SNAT Port Exhausted").
 * <p>
 * Programming runs on the conductor, validates everything first and publishes one immutable snapshot with
 * a volatile write; workers read it without locks or allocation. Existing flows keep their translation.
 */
public final class FabricSnat
{
    /**
     * The node's fabric SNAT.
     *
     * @param fabricVrf the fabric VRF (0 on a Contrail node): where translated packets are routed and replies
     *                  arrive.
     * @param address   the node's fabric address (IPv4, host order).
     * @param portLow   first port of the node's range (1..65535).
     * @param portHigh  last port of the node's range (portLow..65535).
     * @param vrfs      the VRFs whose new flows to non-overlay addresses are translated.
     */
    public record Config(int fabricVrf, int address, int portLow, int portHigh, int[] vrfs)
    {
    }

    private static final class Compiled
    {
        final boolean[] vrf;
        final int fabricVrf;
        final int address;
        final int portLow;
        final int ports;

        Compiled(final Config c)
        {
            vrf = new boolean[PolicyTable.MAX_VRFS];
            if (c == null)
            {
                fabricVrf = 0;
                address = 0;
                portLow = 0;
                ports = 0;
                return;
            }
            for (final int v : c.vrfs())
            {
                vrf[v] = true;
            }
            fabricVrf = c.fabricVrf();
            address = c.address();
            portLow = c.portLow();
            ports = c.portHigh() - c.portLow() + 1;
        }
    }

    private volatile Compiled compiled = new Compiled(null);
    private volatile Config config;

    /**
     * Replaces the configuration (conductor), whole or not at all.
     *
     * @param c the configuration, or null to turn fabric SNAT off.
     * @throws RequestException EINVAL for a VRF or port out of range, or an empty range.
     */
    public void program(final Config c) throws RequestException
    {
        if (c == null)
        {
            compiled = new Compiled(null);
            config = null;
            return;
        }
        if (c.vrfs() == null)
        {
            throw new RequestException(Errno.EINVAL, "fabric snat: no VRF list");
        }
        if (c.fabricVrf() < 0 || c.fabricVrf() >= PolicyTable.MAX_VRFS)
        {
            throw new RequestException(Errno.EINVAL, "fabric snat: fabric VRF " + c.fabricVrf() + " out of range");
        }
        if (c.portLow() < 1 || c.portHigh() > 65535 || c.portLow() > c.portHigh())
        {
            throw new RequestException(Errno.EINVAL, "fabric snat: port range " + c.portLow() + "-" + c.portHigh()
                + " is not within 1..65535 or is empty");
        }
        for (final int v : c.vrfs())
        {
            if (v < 0 || v >= PolicyTable.MAX_VRFS || v == c.fabricVrf())
            {
                throw new RequestException(Errno.EINVAL, "fabric snat: VRF " + v + " out of range or the fabric VRF");
            }
        }
        final Config copy = new Config(c.fabricVrf(), c.address(), c.portLow(), c.portHigh(), c.vrfs().clone());
        compiled = new Compiled(copy);
        config = copy;
    }

    /**
     * The programmed configuration (listings, tests).
     *
     * @return it, or null when off.
     */
    public Config config()
    {
        return config;
    }

    /**
     * Whether new flows from a VRF to non-overlay addresses are translated (worker).
     *
     * @param vrf the VRF.
     * @return true when the VRF has fabric SNAT.
     */
    public boolean covers(final int vrf)
    {
        final Compiled c = compiled;
        return c.ports > 0 && vrf >= 0 && vrf < PolicyTable.MAX_VRFS && c.vrf[vrf];
    }

    /**
     * The fabric VRF of the current snapshot.
     *
     * @return VRF id.
     */
    public int fabricVrf()
    {
        return compiled.fabricVrf;
    }

    /**
     * The node's fabric address of the current snapshot.
     *
     * @return IPv4 address, host order.
     */
    public int address()
    {
        return compiled.address;
    }

    /**
     * The first port of the node's range.
     *
     * @return port.
     */
    public int portLow()
    {
        return compiled.portLow;
    }

    /**
     * The number of ports in the node's range (0 when off).
     *
     * @return count.
     */
    public int ports()
    {
        return compiled.ports;
    }
}
