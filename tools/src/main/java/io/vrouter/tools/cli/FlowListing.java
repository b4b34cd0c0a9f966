package io.vrouter.tools.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import io.vrouter.core.flow.FlowAction;
import io.vrouter.core.flow.FlowKey;
import io.vrouter.core.flow.FlowStage;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.wire.AddressFamily;

/**
 * {@code flow -l}: the flow table as Contrail's {@code flow} utility prints it (reference §5.5), read
 * from a mapping of the table. Like Contrail's tool, it maps the daemon's table file itself
 * ({@link #listFile(Path)}, read-only) instead of asking the daemon, so it works while the daemon
 * forwards and costs the daemon nothing.
 */
public final class FlowListing
{
    private static final int WRAP = 70;

    private FlowListing()
    {
    }

    /**
     * Maps a table file read-only and lists it.
     *
     * @param file the daemon's flow table file.
     * @return the listing.
     * @throws IOException if the file is not a flow table.
     */
    public static String listFile(final Path file) throws IOException
    {
        try (FlowTable t = FlowTable.openReadOnly(file))
        {
            return format(t);
        }
    }

    /**
     * Lists every active entry of a table.
     *
     * @param t the table.
     * @return the listing.
     */
    public static String format(final FlowTable t)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("Flow table(size ").append(t.byteSize()).append(", entries ").append(t.totalEntries())
            .append(")\n\n");
        sb.append("Entries: Created ").append(t.created()).append(" Added ").append(t.added()).append(" Deleted ")
            .append(t.deleted()).append(" Changed ").append(t.changed()).append("Processed 0 Used Overflow entries ")
            .append(t.overflowUsed()).append('\n');
        sb.append("(Created Flows/CPU: ").append(t.created()).append(")(oflows ").append(t.overflowUsed())
            .append(")\n\n");
        sb.append("Action:F=Forward, D=Drop N=NAT(S=SNAT, D=DNAT, Ps=SPAT, Pd=DPAT, L=Link Local Port)\n");
        sb.append(" Other:K(nh)=Key_Nexthop, S(nh)=RPF_Nexthop\n");
        sb.append(" Flags:E=Evicted, Ec=Evict Candidate, N=New Flow, M=Modified Dm=Delete Marked\n");
        sb.append("TCP(r=reverse):S=SYN, F=FIN, R=RST, C=HalfClose, E=Established, D=Dead\n\n");
        sb.append("    Index                Source:Port/Destination:Port                      Proto(V)\n");
        sb.append("-----------------------------------------------------------------------------------\n");
        final FlowKey k = new FlowKey();
        for (int i = 0; i < t.totalEntries(); i++)
        {
            final int state = t.stateWord(i);
            if ((state & 0xFF) != FlowTable.ACTIVE)
            {
                continue;
            }
            t.readKey(i, k);
            entry(sb, t, i, state >>> 8, k);
        }
        return sb.toString();
    }

    private static void entry(final StringBuilder sb, final FlowTable t, final int i, final int gen, final FlowKey k)
    {
        final int flags = t.intField(i, FlowTable.E_FLAGS);
        final int rflow = t.intField(i, FlowTable.E_RFLOW);
        sb.append(String.format("%9d", i));
        if ((flags & FlowAction.FLAG_RFLOW_VALID) != 0 && rflow >= 0)
        {
            sb.append(String.format("<=>%-9d", rflow));
        }
        else
        {
            sb.append("            ");
        }
        sb.append("    ");
        final int vrf = t.intField(i, FlowTable.E_VRF);
        final String proto = String.format("%3d (%d%s)", k.proto, vrf,
            (flags & FlowAction.FLAG_VRFT) != 0 ? "->" + t.intField(i, FlowTable.E_DVRF) : "");
        sb.append(String.format("%-46s", endpoint(k, true))).append("    ").append(proto).append('\n');
        sb.append(" ".repeat(25)).append(endpoint(k, false)).append('\n');
        final StringBuilder detail = new StringBuilder();
        final int[] line = {0};
        item(detail, line, "(Gen: " + gen);
        item(detail, line, "K(nh):" + k.nhId);
        item(detail, line, "Action:" + action(t, i, flags));
        item(detail, line, "Flags:" + flagLetters(flags));
        final int tcp = t.intField(i, FlowTable.E_TCP_FLAGS);
        if (tcp != 0)
        {
            item(detail, line, "TCP:" + tcpLetters(tcp));
        }
        final int ecmp = t.intField(i, FlowTable.E_ECMP);
        if (ecmp >= 0)
        {
            item(detail, line, "E:" + ecmp);
        }
        item(detail, line, "QOS:-1");
        item(detail, line, "S(nh):" + t.intField(i, FlowTable.E_SRC_NH));
        item(detail, line, " Stats:" + t.longField(i, FlowTable.E_PACKETS) + "/" + t.longField(i, FlowTable.E_BYTES));
        if ((flags & FlowAction.FLAG_MIRROR) != 0)
        {
            item(detail, line, "Mirror Index : " + t.intField(i, FlowTable.E_MIRROR));
        }
        item(detail, line, "SPort " + t.intField(i, FlowTable.E_UDP_SPORT));
        item(detail, line, "TTL 0");
        final int owner = t.intField(i, FlowTable.E_OWNER_VIF);
        item(detail, line, "Sinfo " + (owner >= 0 ? Integer.toString(owner) : "0.0.0.0") + ")");
        sb.append(detail).append("\n\n");
    }

    private static void item(final StringBuilder sb, final int[] line, final String text)
    {
        if (sb.length() == 0)
        {
            sb.append(text);
            line[0] = text.length();
            return;
        }
        if (line[0] + 2 + text.length() > WRAP)
        {
            sb.append(",\n ").append(text);
            line[0] = 1 + text.length();
        }
        else
        {
            sb.append(", ").append(text);
            line[0] += 2 + text.length();
        }
    }

    private static String action(final FlowTable t, final int i, final int flags)
    {
        final int action = t.intField(i, FlowTable.E_ACTION);
        if (action == FlowAction.DROP)
        {
            final int reason = t.intField(i, FlowTable.E_DROP_REASON);
            return reason == FlowStage.DROP_REASON_POLICY ? "D(Policy)" : reason == 0 ? "D" : "D(" + reason + ")";
        }
        if (action == FlowAction.NAT)
        {
            final StringBuilder n = new StringBuilder("N(");
            if ((flags & FlowAction.FLAG_SNAT) != 0)
            {
                n.append("S,");
            }
            if ((flags & FlowAction.FLAG_DNAT) != 0)
            {
                n.append("D,");
            }
            if ((flags & FlowAction.FLAG_SPAT) != 0)
            {
                n.append("Ps,");
            }
            if ((flags & FlowAction.FLAG_DPAT) != 0)
            {
                n.append("Pd,");
            }
            if (n.charAt(n.length() - 1) == ',')
            {
                n.setLength(n.length() - 1);
            }
            return n.append(')').toString();
        }
        return FlowAction.letter(action);
    }

    private static String flagLetters(final int flags)
    {
        final StringBuilder f = new StringBuilder();
        if ((flags & FlowAction.FLAG_EVICTED) != 0)
        {
            f.append("E");
        }
        if ((flags & FlowAction.FLAG_EVICT_CANDIDATE) != 0)
        {
            f.append("Ec");
        }
        if ((flags & FlowAction.FLAG_NEW_FLOW) != 0)
        {
            f.append("N");
        }
        if ((flags & FlowAction.FLAG_MODIFIED) != 0)
        {
            f.append("M");
        }
        return f.toString();
    }

    private static String tcpLetters(final int tcp)
    {
        final StringBuilder f = new StringBuilder();
        if ((tcp & FlowAction.TCP_SYN) != 0)
        {
            f.append("S");
        }
        if ((tcp & FlowAction.TCP_ESTABLISHED) != 0)
        {
            f.append("E");
        }
        if ((tcp & FlowAction.TCP_FIN) != 0)
        {
            f.append("F");
        }
        if ((tcp & FlowAction.TCP_RST) != 0)
        {
            f.append("R");
        }
        if ((tcp & FlowAction.TCP_DEAD) != 0)
        {
            f.append("D");
        }
        return f.toString();
    }

    private static String endpoint(final FlowKey k, final boolean source)
    {
        final int port = source ? k.sport : k.dport;
        if (k.family == AddressFamily.INET)
        {
            final int a = source ? k.src4() : k.dst4();
            return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF) + ":"
                + port;
        }
        final ByteBuffer b = ByteBuffer.allocate(16).putLong(source ? k.srcHi : k.dstHi)
            .putLong(source ? k.srcLo : k.dstLo);
        try
        {
            return "[" + InetAddress.getByAddress(b.array()).getHostAddress() + "]:" + port;
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
