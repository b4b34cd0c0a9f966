package io.vrouter.core.flow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.RequestException;
import io.vrouter.wire.IpProtocol;

/**
 * ClusterIP services, compiled for the flow stage's miss path: a new TCP or UDP flow from a VRF to a
 * service's address and port is translated to one of its backends (destination address and port,
 * {@code port} to {@code targetPort}), the backend chosen by the flow hash modulo the backend count, and
 * the reverse flow translates the reply back (Contrail's agent does this for a Kubernetes service's
 * ECMP load balancer with port translation; here the forwarder does it in line).
 * <p>
 * Programming ({@link #program(List)}) runs on the conductor, validates everything first and publishes
 * one immutable snapshot with a volatile write; workers read it without locks or allocation. A change
 * leaves existing flows alone: a flow keeps the backend it chose, new flows choose among the new set.
 */
public final class ServiceTable
{
    /** {@link #choose} result: no service (or none with a backend). */
    public static final long NONE = -1L;
    /** Services a table holds (entries are per VRF and port). */
    public static final int MAX_ENTRIES = 65536;
    /** Backends one entry may have. */
    public static final int MAX_BACKENDS = 256;

    /**
     * One service port as one VRF sees it.
     *
     * @param vrf        VRF whose packets are translated (a network allowed to reach the service).
     * @param address    the ClusterIP (IPv4, host order).
     * @param protocol   {@link IpProtocol#TCP} or {@link IpProtocol#UDP}.
     * @param port       the service port.
     * @param targetPort the backends' port.
     * @param backends   the ready backends' IPv4 addresses (host order), in a stable order.
     */
    public record Entry(int vrf, int address, int protocol, int port, int targetPort, int[] backends)
    {
    }

    private static final class Compiled
    {
        final int[] vrf;
        final int[] address;
        final int[] protoPort;
        final int[] targetPort;
        final int[][] backends;

        Compiled(final List<Entry> entries)
        {
            final int n = entries.size();
            vrf = new int[n];
            address = new int[n];
            protoPort = new int[n];
            targetPort = new int[n];
            backends = new int[n][];
            for (int i = 0; i < n; i++)
            {
                final Entry e = entries.get(i);
                vrf[i] = e.vrf();
                address[i] = e.address();
                protoPort[i] = e.protocol() << 16 | e.port();
                targetPort[i] = e.targetPort();
                backends[i] = e.backends().clone();
            }
        }
    }

    private volatile Compiled compiled = new Compiled(List.of());
    private volatile List<Entry> entries = List.of();

    /**
     * Replaces every service entry (conductor), whole or not at all.
     *
     * @param list the entries.
     * @throws RequestException EINVAL for a bad field, EEXIST for a (VRF, address, protocol, port) given twice,
     *                          ENOSPC beyond {@link #MAX_ENTRIES}.
     */
    public void program(final List<Entry> list) throws RequestException
    {
        if (list.size() > MAX_ENTRIES)
        {
            throw new RequestException(Errno.ENOSPC, "services: " + list.size() + " entries, at most " + MAX_ENTRIES);
        }
        final Set<String> keys = new HashSet<>();
        int i = 0;
        for (final Entry e : list)
        {
            final String where = "services: entry " + i++;
            if (e == null || e.backends() == null)
            {
                throw new RequestException(Errno.EINVAL, where + ": missing");
            }
            if (e.vrf() < 0 || e.vrf() >= PolicyTable.MAX_VRFS)
            {
                throw new RequestException(Errno.EINVAL, where + ": VRF " + e.vrf() + " out of range");
            }
            if (e.protocol() != IpProtocol.TCP && e.protocol() != IpProtocol.UDP)
            {
                throw new RequestException(Errno.EINVAL, where + ": protocol " + e.protocol() + " is not TCP or UDP");
            }
            if (e.port() < 1 || e.port() > 65535 || e.targetPort() < 1 || e.targetPort() > 65535)
            {
                throw new RequestException(Errno.EINVAL, where + ": ports must be 1..65535");
            }
            if (e.backends().length > MAX_BACKENDS)
            {
                throw new RequestException(Errno.EINVAL, where + ": " + e.backends().length + " backends, at most "
                    + MAX_BACKENDS);
            }
            if (!keys.add(e.vrf() + "/" + e.address() + "/" + e.protocol() + "/" + e.port()))
            {
                throw new RequestException(Errno.EEXIST, where + ": VRF " + e.vrf() + " has this address, protocol"
                    + " and port twice");
            }
        }
        final List<Entry> copy = new ArrayList<>(list.size());
        for (final Entry e : list)
        {
            copy.add(new Entry(e.vrf(), e.address(), e.protocol(), e.port(), e.targetPort(), e.backends().clone()));
        }
        compiled = new Compiled(copy);
        entries = List.copyOf(copy);
    }

    /**
     * The programmed entries (listings, tests).
     *
     * @return them, read-only.
     */
    public List<Entry> entries()
    {
        return entries;
    }

    /**
     * Chooses the backend of a new flow addressed to a service (worker, allocation-free): the entry for the
     * VRF, protocol, address and port, its backend at {@code hash} modulo the backend count.
     *
     * @param vrf      the packet's VRF.
     * @param protocol IP protocol.
     * @param address  destination IPv4 address.
     * @param port     destination port.
     * @param hash     the flow's hash.
     * @return {@link #NONE} when no service with backends matches; else the backend's address in the high 32
     *         bits, the target port in bits 16..31 and the backend's index in bits 0..15 (see {@link
     *         #backendAddress}, {@link #targetPort}, {@link #backendIndex}).
     */
    public long choose(final int vrf, final int protocol, final int address, final int port, final int hash)
    {
        final Compiled c = compiled;
        final int pp = protocol << 16 | port;
        final int[] a = c.address;
        for (int i = 0; i < a.length; i++)
        {
            if (a[i] == address && c.protoPort[i] == pp && c.vrf[i] == vrf)
            {
                final int[] b = c.backends[i];
                if (b.length == 0)
                {
                    return NONE;
                }
                final int member = (hash & 0x7FFFFFFF) % b.length;
                return (long)b[member] << 32 | (long)c.targetPort[i] << 16 | member;
            }
        }
        return NONE;
    }

    /**
     * The backend address of a {@link #choose} result.
     *
     * @param chosen the result.
     * @return IPv4 address, host order.
     */
    public static int backendAddress(final long chosen)
    {
        return (int)(chosen >>> 32);
    }

    /**
     * The target port of a {@link #choose} result.
     *
     * @param chosen the result.
     * @return port.
     */
    public static int targetPort(final long chosen)
    {
        return (int)(chosen >>> 16) & 0xFFFF;
    }

    /**
     * The backend's index (among the entry's backends) of a {@link #choose} result.
     *
     * @param chosen the result.
     * @return index.
     */
    public static int backendIndex(final long chosen)
    {
        return (int)chosen & 0xFFFF;
    }
}
