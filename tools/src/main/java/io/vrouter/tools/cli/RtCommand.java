package io.vrouter.tools.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.vrouter.agent.introspect.SandeshJson;
import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.wire.AddressFamily;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rt}: Contrail's route tool. {@code --dump VRF [--family inet|inet6|bridge]} prints one line per
 * prefix; {@code --get A/LEN --vrf V} (or {@code --get MAC --family bridge}) the longest match; the write
 * verbs are Contrail's short options, sent as {@code vr_route_req} Add and Delete: {@code -c} create,
 * {@code -d} delete, {@code -v} VRF, {@code -f} family (0 inet, 1 bridge, 2 inet6, or the words),
 * {@code -p} prefix, {@code -l} prefix length, {@code -n} next hop, {@code -t} label (sets the L flag, as
 * Contrail's {@code vr_send_route_common} does), {@code -e} MAC (bridge key, or an inet route's stitched
 * MAC), {@code -P} proxy ARP, {@code -F} flood ARP, {@code -T} trap ARP, {@code -x} more flags in hex,
 * {@code -r} the covering route's prefix length on delete (with {@code -n}/{@code -t} its next hop and
 * label). Ours: without {@code -r} the covering route is looked up in the VRF (what Contrail's agent
 * does before it sends a delete), and without {@code -f} the family follows {@code -p}.
 */
@Command(name = "rt", mixinStandardHelpOptions = true,
    description = "Routes: --dump VRF [--family F], --get A/LEN --vrf V, -c|-d -v VRF -p A -l LEN -n NH [-t L] ...")
final class RtCommand implements Callable<Integer>
{
    private static final List<String> WRITE_OPTIONS = List.of("-p", "-l", "-n", "-t", "-e", "-P", "-F", "-T", "-x",
        "-r");

    final VrouterCtl.Common common = new VrouterCtl.Common(() -> this.spec);

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = {"-v", "--vrf"}, paramLabel = "VRF", description = "the VRF")
    Integer vrf;

    @Option(names = {"-f", "--family"}, paramLabel = "F", description = "inet (0, default), bridge (1), inet6 (2)")
    String family;

    @Option(names = "-p", paramLabel = "ADDRESS", description = "the prefix's address")
    String prefix;

    @Option(names = "-l", paramLabel = "LEN", description = "the prefix length")
    Integer plen;

    @Option(names = "-n", paramLabel = "NH", description = "the next hop")
    Integer nh;

    @Option(names = "-t", paramLabel = "LABEL", description = "the label (MPLS label or VNI); sets L")
    Integer label;

    @Option(names = "-e", paramLabel = "MAC", description = "bridge: the MAC; inet: the stitched MAC")
    String mac;

    @Option(names = "-P", description = "proxy ARP (P)")
    boolean proxy;

    @Option(names = "-F", description = "flood ARP (F)")
    boolean flood;

    @Option(names = "-T", description = "trap ARP (T)")
    boolean trap;

    @Option(names = "-x", paramLabel = "HEX", description = "more label flags, in hex")
    String custom;

    @Option(names = "-r", paramLabel = "LEN", description = "delete: the covering route's prefix length")
    Integer replacePlen;

    @Spec
    CommandSpec spec;

    /** The one operation. */
    static final class Which
    {
        @Option(names = "--dump", required = true, paramLabel = "VRF", description = "the VRF's routes")
        Integer dump;

        @Option(names = "--get", required = true, paramLabel = "A/LEN|MAC", description = "longest match")
        String get;

        @Option(names = "-c", required = true, description = "create a route")
        boolean create;

        @Option(names = "-d", required = true, description = "delete a route")
        boolean delete;
    }

    @Override
    public Integer call()
    {
        if (which.create || which.delete)
        {
            common.one(which.create ? create() : delete());
            return 0;
        }
        Verbs.only(spec, "-c or -d", WRITE_OPTIONS);
        if (which.get != null)
        {
            return get();
        }
        if (vrf != null)
        {
            throw CliValues.usage(spec, "--dump takes the VRF: rt --dump VRF");
        }
        final int af = family == null ? AddressFamily.INET : CliValues.family(spec, family);
        final List<RouteRequest> routes = common.dump(RouteRequest.dump(af, which.dump), RouteRequest.class);
        if (common.json())
        {
            common.printJson(spec, json(af, routes));
        }
        else
        {
            common.print(spec, af == AddressFamily.BRIDGE ? Formats.rtBridgeDump(which.dump, routes)
                : Formats.rtDump(which.dump, af, routes));
        }
        return 0;
    }

    private static List<Map<String, Object>> json(final int af, final List<RouteRequest> routes)
    {
        final List<Map<String, Object>> maps = SandeshJson.toMaps(routes);
        for (int i = 0; i < maps.size() && af != AddressFamily.BRIDGE; i++)
        {
            maps.get(i).put("prefix", Formats.prefix(routes.get(i)));
        }
        return maps;
    }

    private int get()
    {
        Verbs.required(spec, "rt --get", "--vrf", vrf);
        final String key = which.get;
        final int af;
        final RouteRequest.Builder b = RouteRequest.builder().op(Op.GET).vrfId(vrf);
        final String match;
        if (family != null && CliValues.family(spec, family) == AddressFamily.BRIDGE)
        {
            af = AddressFamily.BRIDGE;
            final long m = CliValues.mac(spec, "--get", key);
            b.family(af).mac(m);
            match = "Match " + Formats.mac(Requests.macBytes(m), false) + " in vRouter bridge table 0/" + vrf
                + "/unicast\n\n";
        }
        else
        {
            final int slash = key.indexOf('/');
            if (slash < 0)
            {
                throw CliValues.usage(spec, "--get takes ADDRESS/LEN, not '" + key + "'");
            }
            final byte[] address = CliValues.address(spec, "--get", key.substring(0, slash));
            af = address.length == 4 ? AddressFamily.INET : AddressFamily.INET6;
            final int len = (int)CliValues.unsigned(spec, "--get", key.substring(slash + 1), address.length * 8L);
            b.family(af).prefix(address, len);
            match = "Match " + Formats.prefix(RouteRequest.builder().family(af).prefix(mask(address, len), len)
                .build()) + " in vRouter " + (af == AddressFamily.INET ? "inet4" : "inet6") + " table 0/" + vrf
                + "/unicast\n\n";
        }
        // the answer carries the address asked for; Contrail's rt masks it with the match's length
        final List<RouteRequest> found = common.dump(b.build(), RouteRequest.class).stream()
            .map(r -> af == AddressFamily.BRIDGE ? r
                : r.toBuilder().prefix(mask(r.prefix(), r.prefixLen()), r.prefixLen()).build())
            .toList();
        if (common.json())
        {
            common.printJson(spec, json(af, found));
        }
        else
        {
            common.print(spec, match + (af == AddressFamily.BRIDGE ? Formats.rtBridgeDump(vrf, found)
                : Formats.rtDump(vrf, af, found)));
        }
        return 0;
    }

    private RouteRequest create()
    {
        Verbs.required(spec, "rt -c", "-n", nh);
        final RouteRequest.Builder b = key("rt -c").labelFlags(flags()).nhId(nh);
        if (label != null)
        {
            b.label(label);
        }
        return b.build();
    }

    private RouteRequest delete()
    {
        final RouteRequest.Builder b = key("rt -d").op(Op.DELETE);
        final RouteRequest k = b.build();
        if (k.family() == AddressFamily.BRIDGE)
        {
            return k;
        }
        if (replacePlen != null)
        {
            // Contrail's form: the covering route's data given on the command line.
            Verbs.required(spec, "rt -d -r", "-n", nh);
            b.replacePlen(replacePlen).nhId(nh).labelFlags(flags());
            if (label != null)
            {
                b.label(label);
            }
            return b.build();
        }
        final RouteRequest cover = covering(k);
        if (cover == null)
        {
            return b.replacePlen(-1).build();
        }
        b.replacePlen(cover.prefixLen()).nhId(cover.nhId()).labelFlags(cover.labelFlags());
        if (cover.labelled())
        {
            b.label(cover.label());
        }
        if (cover.mac() != RouteRequest.NO_MAC)
        {
            b.mac(cover.mac());
        }
        return b.build();
    }

    /** The key of a create or delete: VRF, family, and the prefix or the MAC. */
    private RouteRequest.Builder key(final String verb)
    {
        Verbs.required(spec, verb, "-v", vrf);
        final RouteRequest.Builder b = RouteRequest.builder().vrfId(vrf);
        final int af = family == null ? (prefix != null && prefix.contains(":") ? AddressFamily.INET6
            : AddressFamily.INET) : CliValues.family(spec, family);
        b.family(af);
        if (af == AddressFamily.BRIDGE)
        {
            Verbs.required(spec, verb + " -f bridge", "-e", mac);
            if (prefix != null || plen != null)
            {
                throw CliValues.usage(spec, "a bridge route's key is its MAC (-e), not -p/-l");
            }
            return b.mac(CliValues.mac(spec, "-e", mac));
        }
        Verbs.required(spec, verb, "-p", prefix, "-l", plen);
        final byte[] address = CliValues.address(spec, "-p", prefix);
        if (address.length != (af == AddressFamily.INET ? 4 : 16))
        {
            throw CliValues.usage(spec, "-p " + prefix + " is not an " + (af == AddressFamily.INET ? "inet" : "inet6")
                + " address");
        }
        b.prefix(address, plen);
        if (mac != null)
        {
            b.mac(CliValues.mac(spec, "-e", mac));
        }
        return b;
    }

    private int flags()
    {
        int f = (proxy ? RouteFlags.ARP_PROXY : 0) | (flood ? RouteFlags.ARP_FLOOD : 0)
            | (trap ? RouteFlags.ARP_TRAP : 0) | (label != null ? RouteFlags.LABEL_VALID : 0);
        if (custom != null)
        {
            f |= (int)CliValues.unsigned(spec, "-x", custom.startsWith("0x") ? custom : "0x" + custom, 0xFF);
        }
        return f;
    }

    /** The longest route of the VRF that covers {@code k}'s prefix with a shorter length, or null. */
    private RouteRequest covering(final RouteRequest k)
    {
        RouteRequest best = null;
        for (final RouteRequest r : common.dump(RouteRequest.dump(k.family(), k.vrfId()), RouteRequest.class))
        {
            if (r.prefixLen() < k.prefixLen() && (best == null || r.prefixLen() > best.prefixLen())
                && java.util.Arrays.equals(mask(r.prefix(), r.prefixLen()), mask(k.prefix(), r.prefixLen())))
            {
                best = r;
            }
        }
        return best;
    }

    private static byte[] mask(final byte[] address, final int len)
    {
        final byte[] m = address.clone();
        for (int i = 0; i < m.length; i++)
        {
            final int keep = Math.max(0, Math.min(8, len - i * 8));
            m[i] = (byte)(m[i] & (0xFF << (8 - keep)));
        }
        return m;
    }
}
