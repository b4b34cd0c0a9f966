package io.vrouter.xmpp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a route {@code items} message (controller → node) straight from its bytes into a
 * {@link ChannelMessage.RouteUpdate}, without an element tree or a string of the whole stanza: the
 * per-route work when a node receives a full routing table.
 * <p>
 * Overview: it reads only the plain shape such messages have: no entity or character references,
 * no comments, CDATA or processing instructions, ASCII names, nothing but whitespace where elements
 * are expected, no {@code >} in text, each field at most once. On anything else it gives up (returns
 * null) and the framer hands the stanza to {@link XmlParser} and {@link ContrailXmpp#classify},
 * which accept or refuse it with their own messages. Where it answers, the answer is the one
 * {@code classify} gives; a test compares the two on generated, reordered and hostile stanzas. Not
 * thread-safe: one per framer.
 */
final class RouteItemsDecoder
{
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] EVENT = ascii("event");
    private static final byte[] ITEMS = ascii("items");
    private static final byte[] ITEM = ascii("item");
    private static final byte[] RETRACT = ascii("retract");
    private static final byte[] ENTRY = ascii("entry");
    private static final byte[] NLRI = ascii("nlri");
    private static final byte[] AF = ascii("af");
    private static final byte[] SAFI = ascii("safi");
    private static final byte[] ADDRESS = ascii("address");
    private static final byte[] NEXT_HOPS = ascii("next-hops");
    private static final byte[] NEXT_HOP = ascii("next-hop");
    private static final byte[] MAC = ascii("mac");
    private static final byte[] LABEL = ascii("label");
    private static final byte[] ENCAPSULATIONS = ascii("tunnel-encapsulation-list");
    private static final byte[] ENCAPSULATION = ascii("tunnel-encapsulation");
    private static final byte[] VIRTUAL_NETWORK = ascii("virtual-network");
    private static final byte[] SEQUENCE = ascii("sequence-number");
    private static final byte[] LOCAL_PREFERENCE = ascii("local-preference");
    private static final byte[] NODE = ascii("node");
    private static final byte[] ID = ascii("id");
    private static final int MAX_ATTRIBUTES = 8;
    private static final GiveUp GIVE_UP = new GiveUp();
    private static final int HOP_ADDRESS = 0;
    private static final int HOP_MAC = 1;
    private static final int HOP_NETWORK = 2;
    private static final int HOP_ENCAPSULATION = 3;
    private static final int NAME_START = 1;
    private static final int NAME = 2;
    private static final int SPACE = 4;
    private static final int TEXT_STOP = 8;
    /** Character classes of bytes: what may start a name, continue it, is whitespace, ends plain text. */
    private static final byte[] CHARACTER = new byte[256];

    static
    {
        for (int c = 0; c < 128; c++)
        {
            final boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':';
            final boolean more = c >= '0' && c <= '9' || c == '-' || c == '.';
            CHARACTER[c] = (byte)((letter ? NAME_START | NAME : 0) | (more ? NAME : 0) |
                (c == ' ' || c == '\t' || c == '\n' || c == '\r' ? SPACE : 0) | (c == '&' || c == '>' ? TEXT_STOP : 0));
        }
    }

    private final int maxDepth;
    private byte[] b;
    private int p;
    private int end;
    private int depth;

    private int nameStart;
    private int nameLength;
    private boolean selfClosing;
    private int attributeCount;
    private final int[] attributes = new int[MAX_ATTRIBUTES * 4];

    private int textStart;
    private int textEnd;

    private final byte[][] lastBytes = new byte[4][];
    private final String[] lastStrings = new String[4];
    private List<String> lastEncapsulations = List.of();

    /** Thrown (without a stack) when the stanza is not of the plain shape. */
    private static final class GiveUp extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        GiveUp()
        {
            super("not a plain items message", null, false, false);
        }
    }

    /**
     * A decoder.
     *
     * @param maxDepth deepest element nesting accepted, as the parser's.
     */
    RouteItemsDecoder(final int maxDepth)
    {
        this.maxDepth = maxDepth;
    }

    /**
     * Reads a stanza.
     *
     * @param bytes the stanza's bytes (one complete element, as the framer found it).
     * @param from  first byte.
     * @param to    end (exclusive).
     * @return the routes, or null when the stanza is anything else or not of the plain shape.
     */
    ChannelMessage decode(final byte[] bytes, final int from, final int to)
    {
        if (to - from < MESSAGE.length + 1 || bytes[from] != '<'
            || !Arrays.equals(bytes, from + 1, from + 1 + MESSAGE.length, MESSAGE, 0, MESSAGE.length))
        {
            return null;
        }
        b = bytes;
        p = from;
        end = to;
        depth = 0;
        try
        {
            return message();
        }
        catch (final GiveUp | XmppProtocolException e)
        {
            return null;
        }
        finally
        {
            b = null;
        }
    }

    private ChannelMessage message()
    {
        openTag();
        if (!isName(MESSAGE) || selfClosing)
        {
            throw GIVE_UP;
        }
        final int messageName = nameStart;
        final int messageLength = nameLength;
        openChild();
        if (!isName(EVENT) || selfClosing)
        {
            throw GIVE_UP;
        }
        final int eventName = nameStart;
        final int eventLength = nameLength;
        openChild();
        if (!isName(ITEMS))
        {
            throw GIVE_UP;
        }
        final String node = attribute(NODE);
        if (node == null || ContrailXmpp.END_OF_RIB.equals(node))
        {
            throw GIVE_UP;
        }
        final int[] afSafi = ContrailXmpp.itemsNode(node);
        final List<RouteEntry> routes = new ArrayList<>();
        final List<String> retracts = new ArrayList<>();
        if (!selfClosing)
        {
            final int itemsName = nameStart;
            final int itemsLength = nameLength;
            while (nextChild(itemsName, itemsLength))
            {
                if (isName(ITEM) && !selfClosing)
                {
                    routes.add(item());
                }
                else if (isName(RETRACT) && selfClosing)
                {
                    final String prefix = attribute(ID);
                    if (prefix == null)
                    {
                        throw GIVE_UP;
                    }
                    checkPrefix(prefix);
                    retracts.add(prefix);
                }
                else
                {
                    throw GIVE_UP;
                }
            }
        }
        if (nextChild(eventName, eventLength) || nextChild(messageName, messageLength))
        {
            throw GIVE_UP;
        }
        skipWhitespace();
        if (p != end)
        {
            throw GIVE_UP;
        }
        return new ChannelMessage.RouteUpdate(node.substring(afSafi[2]), afSafi[0], afSafi[1], routes, retracts);
    }

    /** After {@code <item>}: its one {@code entry}; other children are skipped, as classify does. */
    private RouteEntry item()
    {
        final int itemName = nameStart;
        final int itemLength = nameLength;
        RouteEntry entry = null;
        while (nextChild(itemName, itemLength))
        {
            if (isName(ENTRY))
            {
                if (entry != null || selfClosing)
                {
                    throw GIVE_UP;
                }
                entry = entry();
            }
            else
            {
                skipElement();
            }
        }
        if (entry == null)
        {
            throw GIVE_UP;
        }
        return entry;
    }

    private RouteEntry entry()
    {
        final int entryName = nameStart;
        final int entryLength = nameLength;
        int seen = 0;
        int af = 1;
        int safi = 1;
        String prefix = null;
        List<RouteNextHop> hops = null;
        int sequence = 0;
        int localPreference = 100;
        while (nextChild(entryName, entryLength))
        {
            if (isName(NLRI))
            {
                seen = once(seen, 1);
                if (selfClosing)
                {
                    throw GIVE_UP;
                }
                final int nlriName = nameStart;
                final int nlriLength = nameLength;
                int nlriSeen = 0;
                while (nextChild(nlriName, nlriLength))
                {
                    if (isName(AF))
                    {
                        nlriSeen = once(nlriSeen, 1);
                        af = intLeaf();
                    }
                    else if (isName(SAFI))
                    {
                        nlriSeen = once(nlriSeen, 2);
                        safi = intLeaf();
                    }
                    else if (isName(ADDRESS))
                    {
                        nlriSeen = once(nlriSeen, 4);
                        prefix = requiredLeaf();
                        checkPrefix(prefix);
                    }
                    else
                    {
                        skipElement();
                    }
                }
            }
            else if (isName(NEXT_HOPS))
            {
                seen = once(seen, 2);
                hops = nextHops();
            }
            else if (isName(SEQUENCE))
            {
                seen = once(seen, 4);
                sequence = intLeaf();
            }
            else if (isName(LOCAL_PREFERENCE))
            {
                seen = once(seen, 8);
                localPreference = intLeaf();
            }
            else
            {
                skipElement();
            }
        }
        if (prefix == null || hops == null)
        {
            throw GIVE_UP;
        }
        return new RouteEntry(af, safi, prefix, hops, sequence, localPreference);
    }

    private List<RouteNextHop> nextHops()
    {
        final List<RouteNextHop> hops = new ArrayList<>(1);
        if (selfClosing)
        {
            return hops;
        }
        final int hopsName = nameStart;
        final int hopsLength = nameLength;
        while (nextChild(hopsName, hopsLength))
        {
            if (isName(NEXT_HOP))
            {
                hops.add(nextHop());
            }
            else
            {
                skipElement();
            }
        }
        return hops;
    }

    private RouteNextHop nextHop()
    {
        if (selfClosing)
        {
            throw GIVE_UP;
        }
        final int hopName = nameStart;
        final int hopLength = nameLength;
        int seen = 0;
        int af = 1;
        String address = null;
        String mac = "";
        int label = 0;
        List<String> encapsulations = List.of();
        String network = "";
        while (nextChild(hopName, hopLength))
        {
            if (isName(AF))
            {
                seen = once(seen, 1);
                af = intLeaf();
            }
            else if (isName(ADDRESS))
            {
                seen = once(seen, 2);
                address = repeatedLeaf(HOP_ADDRESS);
                if (address.isEmpty())
                {
                    throw GIVE_UP;
                }
            }
            else if (isName(MAC))
            {
                seen = once(seen, 4);
                mac = repeatedLeaf(HOP_MAC);
            }
            else if (isName(LABEL))
            {
                seen = once(seen, 8);
                label = intLeaf();
            }
            else if (isName(ENCAPSULATIONS))
            {
                seen = once(seen, 16);
                encapsulations = encapsulations();
            }
            else if (isName(VIRTUAL_NETWORK))
            {
                seen = once(seen, 32);
                network = repeatedLeaf(HOP_NETWORK);
            }
            else
            {
                skipElement();
            }
        }
        if (address == null)
        {
            throw GIVE_UP;
        }
        return new RouteNextHop(af, address, mac, label, encapsulations, network);
    }

    private List<String> encapsulations()
    {
        if (selfClosing)
        {
            return List.of();
        }
        final List<String> out = new ArrayList<>(2);
        final int listName = nameStart;
        final int listLength = nameLength;
        while (nextChild(listName, listLength))
        {
            if (isName(ENCAPSULATION))
            {
                out.add(repeatedLeaf(HOP_ENCAPSULATION));
            }
            else
            {
                skipElement();
            }
        }
        if (!out.equals(lastEncapsulations))
        {
            lastEncapsulations = List.copyOf(out);
        }
        return lastEncapsulations;
    }

    // ------------------------------------------------------------------------------------------ values

    private static int once(final int seen, final int bit)
    {
        if ((seen & bit) != 0)
        {
            throw GIVE_UP;
        }
        return seen | bit;
    }

    /** A leaf's text, trimmed (classify's {@code childText}); empty for {@code <x/>}. */
    private String leaf()
    {
        leafText();
        return new String(b, textStart, textEnd - textStart, StandardCharsets.UTF_8);
    }

    /**
     * A leaf's text that is usually the same as the last time (a next hop's address, network,
     * encapsulation): the last string is reused when the bytes match.
     */
    private String repeatedLeaf(final int kind)
    {
        leafText();
        final byte[] last = lastBytes[kind];
        final int length = textEnd - textStart;
        if (last != null && equals(textStart, textEnd, last))
        {
            return lastStrings[kind];
        }
        final String value = new String(b, textStart, length, StandardCharsets.UTF_8);
        lastBytes[kind] = Arrays.copyOfRange(b, textStart, textEnd);
        lastStrings[kind] = value;
        return value;
    }

    private String requiredLeaf()
    {
        final String text = leaf();
        if (text.isEmpty())
        {
            throw GIVE_UP;
        }
        return text;
    }

    /** A leaf's number: plain decimal digits only (anything else is left to classify). */
    private int intLeaf()
    {
        leafText();
        final int length = textEnd - textStart;
        if (length == 0 || length > 9)
        {
            throw GIVE_UP;
        }
        int value = 0;
        for (int i = textStart; i < textEnd; i++)
        {
            final int digit = b[i] - '0';
            if (digit < 0 || digit > 9)
            {
                throw GIVE_UP;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** An IPv4 prefix checked on the spot; anything else by classify's own check. */
    private static void checkPrefix(final String prefix)
    {
        int i = 0;
        for (int octet = 0; octet < 4; octet++)
        {
            int value = 0;
            final int start = i;
            while (i < prefix.length() && i - start < 3 && Character.isDigit(prefix.charAt(i)) &&
                prefix.charAt(i) < 0x80)
            {
                value = value * 10 + prefix.charAt(i++) - '0';
            }
            if (i == start || value > 255 || i >= prefix.length() || prefix.charAt(i) != (octet < 3 ? '.' : '/'))
            {
                ContrailXmpp.checkPrefix(prefix);
                return;
            }
            i++;
        }
        final int start = i;
        int length = 0;
        while (i < prefix.length() && i - start < 2 && prefix.charAt(i) >= '0' && prefix.charAt(i) <= '9')
        {
            length = length * 10 + prefix.charAt(i++) - '0';
        }
        if (i == start || i != prefix.length() || length > 32)
        {
            ContrailXmpp.checkPrefix(prefix);
        }
    }

    private String attribute(final byte[] name)
    {
        for (int a = 0; a < attributeCount; a++)
        {
            final int at = a * 4;
            if (equals(attributes[at], attributes[at + 1], name))
            {
                return new String(b, attributes[at + 2], attributes[at + 3] - attributes[at + 2],
                    StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ markup

    /**
     * Moves to a container's next child element and reads its start tag.
     *
     * @return true with the child's tag read, false after the container's end tag.
     */
    private boolean nextChild(final int containerName, final int containerLength)
    {
        skipWhitespace();
        if (at(p) != '<')
        {
            throw GIVE_UP;
        }
        if (at(p + 1) == '/')
        {
            closeTag(containerName, containerLength);
            return false;
        }
        openTag();
        return true;
    }

    private void openChild()
    {
        skipWhitespace();
        openTag();
    }

    /** Reads a start tag at {@code <} into name, attributes and {@link #selfClosing}. */
    private void openTag()
    {
        if (at(p) != '<')
        {
            throw GIVE_UP;
        }
        p++;
        readName();
        nameStart = textStart;
        nameLength = textEnd - textStart;
        attributeCount = 0;
        while (true)
        {
            final boolean spaced = skipWhitespace();
            final byte c = at(p);
            if (c == '>')
            {
                p++;
                selfClosing = false;
                break;
            }
            if (c == '/')
            {
                if (at(p + 1) != '>')
                {
                    throw GIVE_UP;
                }
                p += 2;
                selfClosing = true;
                break;
            }
            if (!spaced || attributeCount == MAX_ATTRIBUTES)
            {
                throw GIVE_UP;
            }
            readName();
            final int at = attributeCount * 4;
            attributes[at] = textStart;
            attributes[at + 1] = textEnd;
            skipWhitespace();
            if (at(p) != '=')
            {
                throw GIVE_UP;
            }
            p++;
            skipWhitespace();
            final byte quote = at(p);
            if (quote != '"' && quote != '\'')
            {
                throw GIVE_UP;
            }
            final int valueStart = ++p;
            int i = valueStart;
            while (i < end && b[i] != quote)
            {
                if (b[i] == '<' || b[i] == '&')
                {
                    throw GIVE_UP;
                }
                i++;
            }
            if (i >= end)
            {
                throw GIVE_UP;
            }
            attributes[at + 2] = valueStart;
            attributes[at + 3] = i;
            p = i + 1;
            for (int other = 0; other < attributeCount; other++)
            {
                if (Arrays.equals(b, attributes[other * 4], attributes[other * 4 + 1], b, attributes[at],
                    attributes[at + 1]))
                {
                    throw GIVE_UP;
                }
            }
            attributeCount++;
        }
        if (!selfClosing && ++depth > maxDepth)
        {
            throw GIVE_UP;
        }
    }

    /** At {@code </}: the end tag of the element whose name is at {@code name}. */
    private void closeTag(final int name, final int length)
    {
        final byte[] bytes = b;
        final int at = p + 2;
        final int after = at + length;
        if (after >= end || !Arrays.equals(bytes, at, after, bytes, name, name + length))
        {
            throw GIVE_UP;
        }
        int i = after;
        while (i < end && (CHARACTER[bytes[i] & 0xff] & SPACE) != 0)
        {
            i++;
        }
        if (i >= end || bytes[i] != '>')
        {
            throw GIVE_UP;
        }
        p = i + 1;
        depth--;
    }

    /** After a leaf's start tag: its text, trimmed, in textStart/textEnd, and its end tag. */
    private void leafText()
    {
        if (selfClosing)
        {
            textStart = p;
            textEnd = p;
            return;
        }
        final int name = nameStart;
        final int length = nameLength;
        int start = p;
        skipText();
        int stop = p;
        if (at(p + 1) != '/')
        {
            throw GIVE_UP;
        }
        while (start < stop && (b[start] & 0xff) <= ' ')
        {
            start++;
        }
        while (stop > start && (b[stop - 1] & 0xff) <= ' ')
        {
            stop--;
        }
        closeTag(name, length);
        textStart = start;
        textEnd = stop;
    }

    /** After an unknown element's start tag: past its end, through any nesting. */
    private void skipElement()
    {
        if (selfClosing)
        {
            return;
        }
        final int name = nameStart;
        final int length = nameLength;
        while (true)
        {
            skipText();
            if (at(p + 1) == '/')
            {
                closeTag(name, length);
                return;
            }
            openTag();
            skipElement();
        }
    }

    /** An ASCII XML name at p, into textStart/textEnd (the parser's rule, ASCII only). */
    private void readName()
    {
        final byte[] bytes = b;
        final int limit = end;
        final int start = p;
        if (start >= limit || (CHARACTER[bytes[start] & 0xff] & NAME_START) == 0)
        {
            throw GIVE_UP;
        }
        int i = start + 1;
        while (i < limit && (CHARACTER[bytes[i] & 0xff] & NAME) != 0)
        {
            i++;
        }
        p = i;
        textStart = start;
        textEnd = i;
    }

    private boolean skipWhitespace()
    {
        final byte[] bytes = b;
        final int limit = end;
        final int start = p;
        int i = start;
        while (i < limit && (CHARACTER[bytes[i] & 0xff] & SPACE) != 0)
        {
            i++;
        }
        p = i;
        return i > start;
    }

    /** Moves p to the next {@code <}, giving up on a reference or a {@code >} in the text on the way. */
    private void skipText()
    {
        final byte[] bytes = b;
        final int limit = end;
        int i = p;
        while (i < limit && bytes[i] != '<')
        {
            if ((CHARACTER[bytes[i] & 0xff] & TEXT_STOP) != 0)
            {
                throw GIVE_UP;
            }
            i++;
        }
        if (i >= limit)
        {
            throw GIVE_UP;
        }
        p = i;
    }

    private byte at(final int i)
    {
        if (i >= end)
        {
            throw GIVE_UP;
        }
        return b[i];
    }

    private boolean isName(final byte[] name)
    {
        return equals(nameStart, nameStart + nameLength, name);
    }

    /** Whether {@code b[from, to)} is {@code name}. */
    private boolean equals(final int from, final int to, final byte[] name)
    {
        return Arrays.equals(b, from, to, name, 0, name.length);
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
