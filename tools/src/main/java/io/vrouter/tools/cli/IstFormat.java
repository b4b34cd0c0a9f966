package io.vrouter.tools.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The layouts of contrail-introspect-cli's {@code ist.py vr vrf} and {@code ist.py vr xmpp} (left-aligned
 * PrettyTables with 60-character wrapped cells) and {@code ist.py vr route -v N} (per route its prefix, then
 * per path {@code [peer] pref:} and the next-hop line), reference §5.9, rendered from the introspect's JSON
 * ({@code docs/introspect.md}).
 */
public final class IstFormat
{
    /** The default columns of {@code ist.py vr vrf}. */
    public static final List<String> VRF_COLUMNS =
        List.of("name", "ucindex", "mcindex", "brindex", "evpnindex", "vxlan_id", "vn");
    /** The default columns of {@code ist.py vr xmpp}. */
    public static final List<String> XMPP_COLUMNS = List.of("controller_ip", "state", "peer_name", "peer_address",
        "cfg_controller", "flap_count", "flap_time");
    private static final int MAX_WIDTH = 60;

    private IstFormat()
    {
    }

    /**
     * {@code ist vr vrf}.
     *
     * @param vrfs the {@code vrfs} array of {@code /vrfs}.
     * @return the table.
     */
    public static String vrfTable(final JsonNode vrfs)
    {
        return columns(VRF_COLUMNS, vrfs);
    }

    /**
     * {@code ist vr xmpp}: one row per controller session.
     *
     * @param peers the {@code peers} array of {@code /xmpp}.
     * @return the table.
     */
    public static String xmppTable(final JsonNode peers)
    {
        return columns(XMPP_COLUMNS, peers);
    }

    /** A table of some fields of each object (an absent field is an empty cell). */
    private static String columns(final List<String> columns, final JsonNode objects)
    {
        final List<List<String>> rows = new ArrayList<>();
        for (final JsonNode v : objects)
        {
            final List<String> row = new ArrayList<>();
            for (final String c : columns)
            {
                row.add(v.has(c) ? v.get(c).asText() : "");
            }
            rows.add(row);
        }
        return table(columns, rows);
    }

    /**
     * A PrettyTable as {@code ist.py} configures it: every column left-aligned (header included),
     * one space of padding, cells wider than 60 characters wrapped as Python's {@code textwrap} does.
     *
     * @param header column names.
     * @param rows   cells.
     * @return the table, ending with a newline.
     */
    public static String table(final List<String> header, final List<List<String>> rows)
    {
        final int n = header.size();
        final int[] width = new int[n];
        final List<List<List<String>>> wrapped = new ArrayList<>();
        for (int c = 0; c < n; c++)
        {
            width[c] = header.get(c).length();
        }
        for (final List<String> row : rows)
        {
            for (int c = 0; c < n; c++)
            {
                width[c] = Math.max(width[c], Math.min(row.get(c).length(), MAX_WIDTH));
            }
        }
        for (final List<String> row : rows)
        {
            final List<List<String>> cells = new ArrayList<>();
            for (int c = 0; c < n; c++)
            {
                cells.add(wrap(row.get(c), width[c]));
            }
            wrapped.add(cells);
        }
        final StringBuilder rule = new StringBuilder("+");
        for (int c = 0; c < n; c++)
        {
            rule.append("-".repeat(width[c] + 2)).append('+');
        }
        rule.append('\n');
        final StringBuilder sb = new StringBuilder(rule);
        line(sb, header, width);
        sb.append(rule);
        for (final List<List<String>> cells : wrapped)
        {
            int height = 1;
            for (final List<String> l : cells)
            {
                height = Math.max(height, l.size());
            }
            for (int k = 0; k < height; k++)
            {
                final List<String> parts = new ArrayList<>(n);
                for (final List<String> l : cells)
                {
                    parts.add(k < l.size() ? l.get(k) : "");
                }
                line(sb, parts, width);
            }
        }
        sb.append(rule);
        return sb.toString();
    }

    private static void line(final StringBuilder sb, final List<String> cells, final int[] width)
    {
        sb.append('|');
        for (int c = 0; c < cells.size(); c++)
        {
            final String s = cells.get(c);
            sb.append(' ').append(s).append(" ".repeat(width[c] - s.length())).append(" |");
        }
        sb.append('\n');
    }

    private static final String WORD_PUNCT = "[\\w!\"'&.,?]";
    private static final String LETTER = "[^\\d\\W]";
    private static final String WS = "[\\t\\n\\x0b\\x0c\\r ]";
    private static final String NWS = "[^\\t\\n\\x0b\\x0c\\r ]";
    /** Python's {@code textwrap.TextWrapper.wordsep_re}: whitespace, em-dashes, words split after hyphens. */
    private static final Pattern WORDSEP = Pattern.compile("(" + WS + "+"
        + "|(?<=" + WORD_PUNCT + ")-{2,}(?=\\w)"
        + "|" + NWS + "+?(?:-(?:(?<=" + LETTER + "{2}-)|(?<=" + LETTER + "-" + LETTER + "-))(?=" + LETTER + "-?"
        + LETTER + ")|(?=" + WS + "|\\z)|(?<=" + WORD_PUNCT + ")(?=-{2,}\\w)))");

    /**
     * Wraps a cell as Python's {@code textwrap.wrap(text, width)} does (break on hyphens, long words
     * cut, whitespace dropped at line ends), which PrettyTable applies to cells wider than their column.
     *
     * @param text  the cell.
     * @param width the column width.
     * @return the lines.
     */
    static List<String> wrap(final String text, final int width)
    {
        final List<String> lines = new ArrayList<>();
        if (text.length() <= width)
        {
            lines.add(text);
            return lines;
        }
        final ArrayDeque<String> chunks = new ArrayDeque<>();
        final Matcher m = WORDSEP.matcher(text);
        int last = 0;
        while (m.find())
        {
            if (m.start() > last)
            {
                chunks.addLast(text.substring(last, m.start()));
            }
            if (!m.group(1).isEmpty())
            {
                chunks.addLast(m.group(1));
            }
            last = m.end();
        }
        if (last < text.length())
        {
            chunks.addLast(text.substring(last));
        }
        while (!chunks.isEmpty())
        {
            final List<String> cur = new ArrayList<>();
            int curLen = 0;
            if (chunks.peekFirst().isBlank() && !lines.isEmpty())
            {
                chunks.removeFirst();
            }
            while (!chunks.isEmpty() && curLen + chunks.peekFirst().length() <= width)
            {
                final String c = chunks.removeFirst();
                cur.add(c);
                curLen += c.length();
            }
            if (!chunks.isEmpty() && chunks.peekFirst().length() > width)
            {
                final String chunk = chunks.removeFirst();
                final int spaceLeft = Math.max(1, width - curLen);
                int end = spaceLeft;
                final int hyphen = chunk.lastIndexOf('-', spaceLeft - 1);
                if (hyphen > 0 && !chunk.substring(0, hyphen).chars().allMatch(ch -> ch == '-'))
                {
                    end = hyphen + 1;
                }
                cur.add(chunk.substring(0, end));
                chunks.addFirst(chunk.substring(end));
            }
            if (!cur.isEmpty() && cur.get(cur.size() - 1).isBlank())
            {
                cur.remove(cur.size() - 1);
            }
            if (!cur.isEmpty())
            {
                lines.add(String.join("", cur));
            }
        }
        return lines;
    }

    /**
     * {@code ist vr route -v N}.
     *
     * @param routes the {@code routes} array of {@code /routes}.
     * @return the text.
     */
    public static String routes(final JsonNode routes)
    {
        final StringBuilder sb = new StringBuilder();
        for (final JsonNode r : routes)
        {
            sb.append(r.path("src_ip").asText()).append('/').append(r.path("src_plen").asInt()).append('\n');
            for (final JsonNode p : r.path("path_list"))
            {
                sb.append("    [").append(p.path("peer").asText()).append("] pref:")
                    .append(p.path("preference").asInt()).append('\n');
                sb.append("     ").append(nhText(p)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String nhText(final JsonNode p)
    {
        final JsonNode nh = p.path("nh");
        final String type = nh.path("type").asText();
        final StringBuilder sb = new StringBuilder();
        switch (type)
        {
            case "interface":
                sb.append("to ").append(nh.path("mac").asText()).append(" via ").append(nh.path("itf").asText())
                    .append(", assigned_label:").append(p.path("label").asInt()).append(", ");
                break;
            case "tunnel":
                sb.append("to ").append(nh.path("mac").asText()).append(" via ")
                    .append(nh.path("tunnel_type").asText()).append(" dip:").append(nh.path("dip").asText())
                    .append(" sip:").append(nh.path("sip").asText()).append(" label:")
                    .append(p.path("label").asInt()).append(", ");
                break;
            case "receive":
                sb.append("via ").append(nh.path("itf").asText()).append(", ");
                break;
            case "arp":
                sb.append("via ").append(nh.path("mac").asText()).append(", ");
                break;
            case "Composite":
            {
                final List<String> itfs = new ArrayList<>();
                for (final JsonNode i : nh.path("itfs"))
                {
                    itfs.add(i.asText());
                }
                sb.append("via [").append(String.join(", ", itfs)).append("], ");
                break;
            }
            default:
                break;
        }
        sb.append("nh_index:").append(nh.path("nh_index").asInt()).append(" , nh_type:").append(type)
            .append(", nh_policy:").append(nh.path("policy").asText()).append(", active_label:")
            .append(p.path("active_label").asInt()).append(", vxlan_id:").append(p.path("vxlan_id").asInt());
        return sb.toString();
    }
}
