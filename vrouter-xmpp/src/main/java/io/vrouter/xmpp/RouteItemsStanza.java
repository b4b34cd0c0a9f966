package io.vrouter.xmpp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Routes and withdrawals of one instance (controller → node) written straight to bytes: the same
 * text as {@link ContrailXmpp#routeUpdate} serialized, which a test checks, at a fraction of the
 * cost (no element per field, no intermediate string).
 * <p>
 * Overview: the text is built in an array kept per thread (event loop) and copied into the channel's
 * buffer once; values are copied as they are when they are ASCII with nothing to escape (every
 * prefix, address, label and network name in practice), and through {@code XmlElement.escape} otherwise.
 *
 * @param to       node JID (without resource).
 * @param update   instance, af, safi, routes and withdrawals.
 */
public record RouteItemsStanza(String to, ChannelMessage.RouteUpdate update) implements XmppOutbound
{
    private static final int BYTES_PER_ROUTE = 512;
    private static final int INITIAL = 64 * 1024;
    private static final int MAX_KEPT = 1024 * 1024;
    private static final ThreadLocal<Text> TEXT = ThreadLocal.withInitial(Text::new);
    private static final byte[] MESSAGE_FROM = ascii("<message from=\"");
    private static final byte[] TO = ascii("\" to=\"");
    private static final byte[] EVENT = ascii("\"><event xmlns=\"");
    private static final byte[] ITEMS = ascii("\"><items node=\"");
    private static final byte[] NO_ITEMS_END = ascii("\"/></event></message>");
    private static final byte[] ITEMS_OPEN_END = ascii("\">");
    private static final byte[] ITEM = ascii("<item id=\"");
    private static final byte[] ENTRY = ascii("\"><entry><nlri>");
    private static final byte[] NEXT_HOPS = ascii("</nlri><next-hops>");
    private static final byte[] VERSION = ascii("</next-hops><version>1</version>");
    private static final byte[] ENTRY_END = ascii("<med>0</med></entry></item>");
    private static final byte[] RETRACT = ascii("<retract id=\"");
    private static final byte[] RETRACT_END = ascii("\"/>");
    private static final byte[] ITEMS_END = ascii("</items></event></message>");
    private static final byte[] NEXT_HOP = ascii("<next-hop>");
    private static final byte[] NO_ENCAPSULATIONS = ascii("<tunnel-encapsulation-list/>");
    private static final byte[] ENCAPSULATIONS = ascii("<tunnel-encapsulation-list>");
    private static final byte[] ENCAPSULATIONS_END = ascii("</tunnel-encapsulation-list>");
    private static final byte[] NEXT_HOP_END = ascii("</next-hop>");
    private static final Tag AF = new Tag("af");
    private static final Tag SAFI = new Tag("safi");
    private static final Tag ADDRESS = new Tag("address");
    private static final Tag SEQUENCE_NUMBER = new Tag("sequence-number");
    private static final Tag LOCAL_PREFERENCE = new Tag("local-preference");
    private static final Tag MAC = new Tag("mac");
    private static final Tag LABEL = new Tag("label");
    private static final Tag TUNNEL_ENCAPSULATION = new Tag("tunnel-encapsulation");
    private static final Tag VIRTUAL_NETWORK = new Tag("virtual-network");

    @Override
    public int sizeHint()
    {
        return 256 + update.items().size() * BYTES_PER_ROUTE + update.retracts().size() * 48;
    }

    @Override
    public void writeTo(final ByteBuf out)
    {
        final Text t = TEXT.get();
        t.length = 0;
        write(t);
        out.writeBytes(t.bytes, 0, t.length);
        if (t.bytes.length > MAX_KEPT)
        {
            t.bytes = new byte[INITIAL];
        }
    }

    private void write(final Text t)
    {
        t.markup(MESSAGE_FROM).value(ContrailXmpp.CONTROL_JID).markup(TO)
            .value(to + "/" + ContrailXmpp.BGP_PEER).markup(EVENT).value(ContrailXmpp.PUBSUB_NS)
            .markup(ITEMS)
            .value(ContrailXmpp.instanceNode(update.af(), update.safi(), update.instance()));
        final List<RouteEntry> items = update.items();
        final List<String> retracts = update.retracts();
        if (items.isEmpty() && retracts.isEmpty())
        {
            t.markup(NO_ITEMS_END);
            return;
        }
        t.markup(ITEMS_OPEN_END);
        for (final RouteEntry e : items)
        {
            t.markup(ITEM).value(e.prefix()).markup(ENTRY).leaf(AF, e.af())
                .leaf(SAFI, e.safi()).leaf(ADDRESS, e.prefix()).markup(NEXT_HOPS);
            for (final RouteNextHop nh : e.nextHops())
            {
                nextHop(t, nh);
            }
            t.markup(VERSION).leaf(SEQUENCE_NUMBER, e.sequence())
                .leaf(LOCAL_PREFERENCE, e.localPreference()).markup(ENTRY_END);
        }
        for (final String r : retracts)
        {
            t.markup(RETRACT).value(r).markup(RETRACT_END);
        }
        t.markup(ITEMS_END);
    }

    private static void nextHop(final Text t, final RouteNextHop nh)
    {
        t.markup(NEXT_HOP).leaf(AF, nh.af()).leaf(ADDRESS, nh.address());
        if (!nh.mac().isEmpty())
        {
            t.leaf(MAC, nh.mac());
        }
        t.leaf(LABEL, nh.label());
        if (nh.encapsulations().isEmpty())
        {
            t.markup(NO_ENCAPSULATIONS);
        }
        else
        {
            t.markup(ENCAPSULATIONS);
            for (final String encap : nh.encapsulations())
            {
                t.leaf(TUNNEL_ENCAPSULATION, encap);
            }
            t.markup(ENCAPSULATIONS_END);
        }
        t.leaf(VIRTUAL_NETWORK, nh.virtualNetwork()).markup(NEXT_HOP_END);
    }

    /** A leaf element's three forms, as bytes. */
    private record Tag(byte[] open, byte[] close, byte[] empty)
    {
        Tag(final String name)
        {
            this(ascii("<" + name + ">"), ascii("</" + name + ">"), ascii("<" + name + "/>"));
        }
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The stanza's bytes as they are written: one array per thread, reused. */
    private static final class Text
    {
        byte[] bytes = new byte[INITIAL];
        int length;

        Text markup(final byte[] ascii)
        {
            ensure(ascii.length);
            System.arraycopy(ascii, 0, bytes, length, ascii.length);
            length += ascii.length;
            return this;
        }

        /** Text or an attribute value: escaped, UTF-8. */
        Text value(final String value)
        {
            ensure(value.length());
            final int at = length;
            for (int i = 0; i < value.length(); i++)
            {
                final char c = value.charAt(i);
                if (c >= 0x80 || c == '<' || c == '>' || c == '&' || c == '"' || c == '\'')
                {
                    final StringBuilder escaped = new StringBuilder(value.length() + 16);
                    XmlElement.escape(value, escaped);
                    final byte[] utf8 = escaped.toString().getBytes(StandardCharsets.UTF_8);
                    length = at;
                    ensure(utf8.length);
                    System.arraycopy(utf8, 0, bytes, length, utf8.length);
                    length += utf8.length;
                    return this;
                }
                bytes[at + i] = (byte)c;
            }
            length += value.length();
            return this;
        }

        /** {@code <name>value</name>}, or {@code <name/>} for an empty value (as {@link XmlElement} writes it). */
        Text leaf(final Tag tag, final String value)
        {
            if (value.isEmpty())
            {
                return markup(tag.empty);
            }
            return markup(tag.open).value(value).markup(tag.close);
        }

        Text leaf(final Tag tag, final int value)
        {
            if (value < 0)
            {
                return leaf(tag, Integer.toString(value));
            }
            markup(tag.open);
            int digits = 1;
            for (int v = value; v >= 10; v /= 10)
            {
                digits++;
            }
            ensure(digits);
            int v = value;
            for (int i = length + digits - 1; i >= length; i--)
            {
                bytes[i] = (byte)('0' + v % 10);
                v /= 10;
            }
            length += digits;
            return markup(tag.close);
        }

        private void ensure(final int more)
        {
            if (length + more > bytes.length)
            {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
