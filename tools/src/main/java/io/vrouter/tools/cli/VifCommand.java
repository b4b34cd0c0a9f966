package io.vrouter.tools.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.request.InterfaceRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vif}: Contrail's interface tool. {@code --list}, {@code --get N}, and the write verbs
 * {@code --add NAME --mac M --vrf V --type T [--transport eth|pmd|virtual|socket] [--policy]
 * [--vhost-phys] [--dhcp-enable] --id N} and {@code --delete N|NAME}, sent as {@code vr_interface_req}
 * Add and Delete. As Contrail's: Add of an existing index changes it (with the same type); flags
 * Policy (P), Vhost-phys (Vp) and DHCP (D) as given, L3 and L2 set by the forwarder when neither is.
 * Ours: {@code --id} is required (Contrail falls back to the kernel's ifindex of NAME, which means
 * nothing to a daemon in another namespace), and {@code --ip}, {@code --mtu}, {@code --nh} set
 * {@code vifr_ip}, {@code vifr_mtu} and {@code vifr_nh_id}. Adding a vif programs the forwarder only:
 * a pod's device comes with {@code vrouterctl port add}.
 */
@Command(name = "vif", mixinStandardHelpOptions = true,
    description = "Interfaces: --list, --get N, --add NAME --mac M --vrf V --type T --id N, --delete N|NAME.")
final class VifCommand implements Callable<Integer>
{
    private static final List<String> ADD_OPTIONS = List.of("--mac", "--vrf", "--type", "--transport", "--id",
        "--policy", "--vhost-phys", "--dhcp-enable", "--ip", "--mtu", "--nh");

    final VrouterCtl.Common common = new VrouterCtl.Common(() -> this.spec);

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--mac", paramLabel = "MAC", description = "--add: the interface's MAC")
    String mac;

    @Option(names = "--vrf", paramLabel = "VRF", description = "--add: the interface's VRF")
    Integer vrf;

    @Option(names = "--type", paramLabel = "TYPE", description = "--add: vhost, agent, physical, virtual, monitoring")
    String type;

    @Option(names = "--transport", paramLabel = "T", description = "--add: virtual (default), eth, pmd, socket")
    String transport;

    @Option(names = "--id", paramLabel = "N", description = "--add: the vif index")
    Integer id;

    @Option(names = "--policy", description = "--add: flag P (flows on every packet received)")
    boolean policy;

    @Option(names = "--vhost-phys", description = "--add: flag Vp")
    boolean vhostPhys;

    @Option(names = "--dhcp-enable", description = "--add: flag D")
    boolean dhcp;

    @Option(names = "--ip", paramLabel = "A.B.C.D", description = "--add: vifr_ip (ours)")
    String ip;

    @Option(names = "--mtu", paramLabel = "N", description = "--add: vifr_mtu, 0 for the type's default (ours)")
    Integer mtu;

    @Option(names = "--nh", paramLabel = "NH", description = "--add: vifr_nh_id, the flow key's next hop (ours)")
    Integer nh;

    @Spec
    CommandSpec spec;

    /** The one operation. */
    static final class Which
    {
        @Option(names = {"--list", "-l"}, required = true, description = "all interfaces")
        boolean list;

        @Option(names = "--get", required = true, paramLabel = "N", description = "one interface")
        Integer get;

        @Option(names = "--add", required = true, paramLabel = "NAME", description = "add or change an interface")
        String add;

        @Option(names = "--delete", required = true, paramLabel = "N|NAME", description = "delete an interface")
        String delete;
    }

    @Override
    public Integer call()
    {
        if (which.add != null)
        {
            return add();
        }
        Verbs.only(spec, "--add", ADD_OPTIONS);
        if (which.delete != null)
        {
            common.one(InterfaceRequest.delete(index(which.delete)));
            return 0;
        }
        if (which.get != null)
        {
            return common.showOne(spec, common.one(InterfaceRequest.get(which.get)).first(InterfaceRequest.class),
                Formats::vif);
        }
        return common.show(spec, common.dump(InterfaceRequest.dump(), InterfaceRequest.class), Formats::vifList);
    }

    private int add()
    {
        Verbs.required(spec, "vif --add", "--mac", mac, "--vrf", vrf, "--type", type, "--id", id);
        final InterfaceRequest.Builder b = InterfaceRequest.builder().idx(id).name(which.add)
            .type(CliValues.vifType(spec, type)).vrf(vrf).mac(CliValues.mac(spec, "--mac", mac))
            .transport(transport == null ? 0 : CliValues.transport(spec, transport))
            .flags((policy ? VifFlags.POLICY_ENABLED : 0) | (vhostPhys ? VifFlags.VHOST_PHYS : 0)
                | (dhcp ? VifFlags.DHCP_ENABLED : 0));
        if (ip != null)
        {
            b.ip(CliValues.ipv4Field(spec, "--ip", ip));
        }
        if (mtu != null)
        {
            b.mtu(mtu);
        }
        if (nh != null)
        {
            b.nhId(nh);
        }
        common.one(b.build());
        return 0;
    }

    /** The index of {@code --delete N|NAME}: a number, else the interface of that name. */
    private int index(final String key)
    {
        if (!key.isEmpty() && key.chars().allMatch(Character::isDigit))
        {
            return (int)CliValues.unsigned(spec, "--delete", key, Integer.MAX_VALUE);
        }
        for (final InterfaceRequest v : common.dump(InterfaceRequest.dump(), InterfaceRequest.class))
        {
            if (v.name().equals(key))
            {
                return v.idx();
            }
        }
        throw new VrouterCtl.CliException("no interface named " + key);
    }
}
