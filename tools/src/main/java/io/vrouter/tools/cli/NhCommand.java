package io.vrouter.tools.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Requests;
import io.vrouter.wire.AddressFamily;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nh}: Contrail's next-hop tool. {@code --list}, {@code --get N}, and the write verbs
 * {@code --create N --type T --vrf V [options of the type]} and {@code --delete N}, sent as
 * {@code vr_nexthop_req} Add and Delete with Contrail's {@code nh} semantics: the Valid flag always;
 * family AF_INET unless {@code --l2} (AF_BRIDGE); {@code --pol}, {@code --rpol}, {@code --rlkup},
 * {@code --mc} add Policy, Policy(R), RouteLookup, Multicast; types 1 receive ({@code --oif}), 2 encap
 * ({@code --oif --smac --dmac}: the rewrite is dmac, smac, 0x0800), 3 tunnel ({@code --oif --smac
 * --dmac --sip --dip}; MPLSoGRE by default, {@code --udp} MPLSoUDP, {@code --udp --sport P --dport P}
 * a plain UDP tunnel (what a mirror sends its copies through), {@code --vxlan} VXLAN), 4 resolve,
 * 5 discard, 6 composite ({@code --cni N} per member, {@code --lbl L} per member, {@code --ecmp},
 * {@code --cfa}, {@code --cen}, {@code --cevpn}, {@code --tor}, {@code --cmc}), 7 VRF translate to
 * {@code --vrf} ({@code --uucf}), 8 L2 receive. An option the type does not use is refused, as
 * Contrail's tool does. Ours: {@code --oif} is optional on a receive next hop (there is no vhost0 to
 * name), {@code --vxlan} does not need ports, and composite labels are all or none.
 */
@Command(name = "nh", mixinStandardHelpOptions = true,
    description = "Next hops: --list, --get N, --create N --type T --vrf V [...], --delete N.")
final class NhCommand implements Callable<Integer>
{
    private static final List<String> COMMON = List.of("--create", "--type", "--vrf", "--pol", "--rpol", "--l2",
        "--rlkup", "--mc");
    private static final List<String> CREATE_OPTIONS = List.of("--type", "--vrf", "--pol", "--rpol", "--l2",
        "--rlkup", "--mc", "--oif", "--smac", "--dmac", "--sip", "--dip", "--udp", "--vxlan", "--sport", "--dport",
        "--cni", "--lbl", "--cmc", "--cfa", "--cen", "--cevpn", "--tor", "--ecmp", "--uucf");

    final VrouterCtl.Common common = new VrouterCtl.Common(() -> this.spec);

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--type", paramLabel = "T", description = "1 rcv, 2 encap, 3 tunnel, 4 resolve, 5 discard, "
        + "6 composite, 7 vrf translate, 8 L2 rcv")
    Integer type;

    @Option(names = "--vrf", paramLabel = "VRF", description = "the next hop's VRF (VRF translate: the target)")
    Integer vrf;

    @Option(names = "--pol", description = "Policy flag")
    boolean pol;

    @Option(names = "--rpol", description = "Policy(R) flag")
    boolean rpol;

    @Option(names = "--l2", description = "family bridge")
    boolean l2;

    @Option(names = "--rlkup", description = "RouteLookup flag")
    boolean rlkup;

    @Option(names = "--mc", description = "Multicast flag")
    boolean mc;

    @Option(names = "--oif", paramLabel = "VIF", description = "outgoing interface")
    Integer oif;

    @Option(names = "--smac", paramLabel = "MAC", description = "source MAC of the rewrite")
    String smac;

    @Option(names = "--dmac", paramLabel = "MAC", description = "destination MAC of the rewrite")
    String dmac;

    @Option(names = "--sip", paramLabel = "A.B.C.D", description = "tunnel source")
    String sip;

    @Option(names = "--dip", paramLabel = "A.B.C.D", description = "tunnel destination")
    String dip;

    @Option(names = "--udp", description = "MPLSoUDP tunnel; with --sport and --dport a plain UDP tunnel")
    boolean udp;

    @Option(names = "--vxlan", description = "VXLAN tunnel")
    boolean vxlan;

    @Option(names = "--sport", paramLabel = "PORT", description = "UDP tunnel source port")
    Integer sport;

    @Option(names = "--dport", paramLabel = "PORT", description = "UDP tunnel destination port")
    Integer dport;

    @Option(names = "--cni", paramLabel = "NH", description = "composite member (repeat)")
    List<Integer> cni = new ArrayList<>();

    @Option(names = "--lbl", paramLabel = "LABEL", description = "composite member's label (repeat, one per --cni)")
    List<Integer> lbl = new ArrayList<>();

    @Option(names = "--cmc", description = "composite: Multicast")
    boolean cmc;

    @Option(names = "--cfa", description = "composite: Fabric")
    boolean cfa;

    @Option(names = "--cen", description = "composite: Encap")
    boolean cen;

    @Option(names = "--cevpn", description = "composite: Evpn (needs --lbl)")
    boolean cevpn;

    @Option(names = "--tor", description = "composite: Tor (needs --lbl)")
    boolean tor;

    @Option(names = "--ecmp", description = "composite: Ecmp")
    boolean ecmp;

    @Option(names = "--uucf", description = "VRF translate: Unicast Flood")
    boolean uucf;

    @Spec
    CommandSpec spec;

    /** The one operation. */
    static final class Which
    {
        @Option(names = {"--list", "-l"}, required = true, description = "all next hops")
        boolean list;

        @Option(names = "--get", required = true, paramLabel = "N", description = "one next hop")
        Integer get;

        @Option(names = "--create", required = true, paramLabel = "N", description = "add or change next hop N")
        Integer create;

        @Option(names = "--delete", required = true, paramLabel = "N", description = "delete next hop N")
        Integer delete;
    }

    @Override
    public Integer call()
    {
        if (which.create != null)
        {
            common.one(create());
            return 0;
        }
        Verbs.only(spec, "--create", CREATE_OPTIONS);
        if (which.delete != null)
        {
            common.one(NextHopRequest.delete(which.delete));
            return 0;
        }
        if (which.get != null)
        {
            return common.showOne(spec, common.one(NextHopRequest.get(which.get)).first(NextHopRequest.class),
                Formats::nh);
        }
        return common.show(spec, common.dump(NextHopRequest.dump(), NextHopRequest.class), Formats::nhList);
    }

    private NextHopRequest create()
    {
        Verbs.required(spec, "nh --create", "--type", type, "--vrf", vrf);
        if (type < NextHopType.RECEIVE || type >= NextHopType.MAX)
        {
            throw CliValues.usage(spec, "--type must be 1 to 8, not " + type);
        }
        final String what = "a type " + type + " (" + NextHopType.name(type) + ") next hop";
        int flags = NextHopFlags.VALID | (pol ? NextHopFlags.POLICY_ENABLED : 0)
            | (rpol ? NextHopFlags.RELAXED_POLICY : 0) | (rlkup ? NextHopFlags.ROUTE_LOOKUP : 0)
            | (mc ? NextHopFlags.MCAST : 0);
        final NextHopRequest.Builder b = Requests.nextHop(which.create, type, vrf)
            .family(l2 ? AddressFamily.BRIDGE : AddressFamily.INET);
        switch (type)
        {
            case NextHopType.RECEIVE:
                Verbs.allowed(spec, what, with("--oif"));
                if (oif != null)
                {
                    b.oif(oif);
                }
                break;
            case NextHopType.ENCAP:
                Verbs.allowed(spec, what, with("--oif", "--smac", "--dmac"));
                if (l2)
                {
                    Verbs.required(spec, "an encap next hop", "--oif", oif);
                    if (smac != null || dmac != null)
                    {
                        b.encap(rewrite());
                    }
                }
                else
                {
                    Verbs.required(spec, "an encap next hop", "--oif", oif, "--smac", smac, "--dmac", dmac);
                    b.encap(rewrite());
                }
                b.oif(oif);
                break;
            case NextHopType.TUNNEL:
                Verbs.allowed(spec, what, with("--oif", "--smac", "--dmac", "--sip", "--dip", "--udp", "--vxlan",
                    "--sport", "--dport"));
                Verbs.required(spec, "a tunnel next hop", "--oif", oif, "--smac", smac, "--dmac", dmac, "--sip", sip,
                    "--dip", dip);
                flags |= tunnelType();
                b.oif(oif).encap(rewrite()).tunnel(CliValues.ipv4Field(spec, "--sip", sip),
                    CliValues.ipv4Field(spec, "--dip", dip));
                if (sport != null || dport != null)
                {
                    b.tunnelPorts(networkOrder("--sport", sport), networkOrder("--dport", dport));
                }
                break;
            case NextHopType.COMPOSITE:
                Verbs.allowed(spec, what, with("--cni", "--lbl", "--cmc", "--cfa", "--cen", "--cevpn", "--tor",
                    "--ecmp"));
                flags |= composite(b);
                break;
            case NextHopType.VRF_TRANSLATE:
                // Contrail's tool accepts --vxlan here ("Vxlan VRF Translation") and sends nothing for it.
                Verbs.allowed(spec, what, with("--uucf", "--vxlan"));
                flags |= uucf ? NextHopFlags.UNKNOWN_UC_FLOOD : 0;
                break;
            default:
                // resolve, discard, L2 receive: nothing but the common options
                Verbs.allowed(spec, what, COMMON);
                break;
        }
        return b.flags(flags).build();
    }

    private List<String> with(final String... extra)
    {
        final List<String> all = new ArrayList<>(COMMON);
        all.addAll(List.of(extra));
        return all;
    }

    private byte[] rewrite()
    {
        return Requests.l2Rewrite(dmac == null ? 0 : CliValues.mac(spec, "--dmac", dmac),
            smac == null ? 0 : CliValues.mac(spec, "--smac", smac));
    }

    private int tunnelType()
    {
        if (udp && vxlan)
        {
            throw CliValues.usage(spec, "--udp and --vxlan are two tunnel types; give one");
        }
        if (udp)
        {
            return sport != null && dport != null ? NextHopFlags.TUNNEL_UDP : NextHopFlags.TUNNEL_UDP_MPLS;
        }
        if (vxlan)
        {
            return NextHopFlags.TUNNEL_VXLAN;
        }
        if (sport != null || dport != null)
        {
            throw CliValues.usage(spec, "--sport and --dport go with --udp or --vxlan");
        }
        return NextHopFlags.TUNNEL_GRE;
    }

    /** A port as Contrail's {@code nh} sends it: {@code htons(port)}, the u16 read little-endian. */
    private int networkOrder(final String option, final Integer port)
    {
        if (port == null)
        {
            return 0;
        }
        final int p = (int)CliValues.unsigned(spec, option, port.toString(), 65535);
        return (p & 0xFF) << 8 | p >>> 8;
    }

    private int composite(final NextHopRequest.Builder b)
    {
        if (cni.isEmpty())
        {
            throw CliValues.usage(spec, "a composite next hop needs --cni (one per member)");
        }
        if ((cevpn || tor) && lbl.isEmpty())
        {
            throw CliValues.usage(spec, (cevpn ? "--cevpn" : "--tor") + " needs --lbl");
        }
        if (!lbl.isEmpty() && lbl.size() != cni.size())
        {
            throw CliValues.usage(spec, "give one --lbl per --cni (" + cni.size() + " members, " + lbl.size()
                + " labels)");
        }
        b.members(cni.stream().mapToInt(Integer::intValue).toArray(), lbl.stream().mapToInt(Integer::intValue)
            .toArray());
        return (cmc ? NextHopFlags.MCAST : 0) | (cfa ? NextHopFlags.COMPOSITE_FABRIC : 0)
            | (cen ? NextHopFlags.COMPOSITE_ENCAP : 0) | (cevpn ? NextHopFlags.COMPOSITE_EVPN : 0)
            | (tor ? NextHopFlags.COMPOSITE_TOR : 0) | (ecmp ? NextHopFlags.COMPOSITE_ECMP : 0);
    }
}
