package io.vrouter.tools.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.VxlanRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mpls} and {@code vxlan}: Contrail's label-map and VNI-map tools, {@code --dump}, {@code --get N},
 * {@code --create N --nh NH} and {@code --delete N} ({@code vr_mpls_req} / {@code vr_vxlan_req} Add and
 * Delete). {@code --get} reads the map's dump and prints the one entry, or says it is not there.
 */
final class LabelCommands
{
    private LabelCommands()
    {
    }

    /** The one operation of either command. */
    static final class Which
    {
        @Option(names = "--dump", required = true, description = "the whole map")
        boolean dump;

        @Option(names = "--get", required = true, paramLabel = "N", description = "one entry")
        Integer get;

        @Option(names = "--create", required = true, paramLabel = "N", description = "set N to --nh NH")
        Integer create;

        @Option(names = "--delete", required = true, paramLabel = "N", description = "clear N")
        Integer delete;
    }

    /** {@code mpls --dump | --get L | --create L --nh NH | --delete L}. */
    @Command(name = "mpls", mixinStandardHelpOptions = true,
        description = "The MPLS label map: --dump, --get L, --create L --nh NH, --delete L.")
    static final class Mpls implements Callable<Integer>
    {
        final VrouterCtl.Common common = new VrouterCtl.Common(() -> this.spec);

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        @Option(names = "--nh", paramLabel = "NH", description = "--create: the label's next hop")
        Integer nh;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            if (which.create != null)
            {
                Verbs.required(spec, "mpls --create", "--nh", nh);
                common.one(MplsRequest.add(which.create, nh));
                return 0;
            }
            Verbs.only(spec, "--create", List.of("--nh"));
            if (which.delete != null)
            {
                common.one(MplsRequest.delete(which.delete));
                return 0;
            }
            final List<MplsRequest> all = common.dump(MplsRequest.dump(), MplsRequest.class);
            if (which.get == null)
            {
                return common.show(spec, all, Formats::mplsDump);
            }
            final List<MplsRequest> one = all.stream().filter(l -> l.label() == which.get).toList();
            if (one.isEmpty())
            {
                throw new VrouterCtl.CliException("label " + which.get + " is not in the label map");
            }
            return common.show(spec, one, Formats::mplsDump);
        }
    }

    /** {@code vxlan --dump | --get VNI | --create VNI --nh NH | --delete VNI}. */
    @Command(name = "vxlan", mixinStandardHelpOptions = true,
        description = "The VXLAN VNI map: --dump, --get VNI, --create VNI --nh NH, --delete VNI.")
    static final class Vxlan implements Callable<Integer>
    {
        final VrouterCtl.Common common = new VrouterCtl.Common(() -> this.spec);

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        @Option(names = "--nh", paramLabel = "NH", description = "--create: the VNI's next hop")
        Integer nh;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            if (which.create != null)
            {
                Verbs.required(spec, "vxlan --create", "--nh", nh);
                common.one(VxlanRequest.add(which.create, nh));
                return 0;
            }
            Verbs.only(spec, "--create", List.of("--nh"));
            if (which.delete != null)
            {
                common.one(VxlanRequest.delete(which.delete));
                return 0;
            }
            final List<VxlanRequest> all = common.dump(VxlanRequest.dump(), VxlanRequest.class);
            if (which.get == null)
            {
                return common.show(spec, all, Formats::vxlanDump);
            }
            final List<VxlanRequest> one = all.stream().filter(v -> v.vnid() == which.get).toList();
            if (one.isEmpty())
            {
                throw new VrouterCtl.CliException("VNI " + which.get + " is not in the VXLAN table");
            }
            return common.show(spec, one, Formats::vxlanDump);
        }
    }
}
