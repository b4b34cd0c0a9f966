package io.vrouter.xmpp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an XMPP byte stream into its header, stanzas and end, without ever holding more than one
 * stanza: whitespace between stanzas (keepalives) is consumed, each stanza is scanned until its
 * element closes and then decoded: a route {@code items} message straight into its routes by
 * {@link RouteItemsDecoder} when it has the plain shape that decoder reads, anything else parsed by
 * {@link XmlParser} and classified later. The decoder only ever sees a whole stanza as the scan cut
 * it, so where the stanza ends never depends on which of the two reads it.
 * <p>
 * Overview: the scan works on bytes. Every markup character of XML is ASCII and UTF-8 never puts an
 * ASCII byte inside a multi-byte character, so looking for {@code <}, {@code >} and quotes byte by
 * byte is exact. The scan state (position, depth, mode) survives between reads, so a stanza
 * arriving a byte at a time costs linear time. A stanza larger than the limit, nesting deeper than
 * the limit, a DTD, or text outside a stanza raises {@link XmppProtocolException}; the session
 * handler closes the connection and logs why.
 */
public final class XmppFramer extends ByteToMessageDecoder
{
    /** Default largest stanza accepted, bytes. */
    public static final int DEFAULT_MAX_STANZA = 4 * 1024 * 1024;
    /** Default deepest element nesting inside a stanza. */
    public static final int DEFAULT_MAX_DEPTH = 32;

    private static final String STREAM = "stream:stream";
    private static final String STREAM_END = "</stream:stream>";
    private static final int MAX_HEADER = 4096;
    private static final int INITIAL_STANZA_BUFFER = 16 * 1024;

    private static final int CONTENT = 0;
    private static final int TAG = 1;
    private static final int END_TAG = 2;
    private static final int COMMENT = 3;
    private static final int CDATA = 4;

    private final int maxStanza;
    private final int maxDepth;
    private final XmlParser parser;
    private final RouteItemsDecoder items;
    private byte[] stanza = new byte[INITIAL_STANZA_BUFFER];
    private int have;

    private boolean streamOpen;
    private boolean sawDeclaration;
    private boolean inStanza;
    private int scan;
    private int depth;
    private int mode;
    private byte quote;
    private int tagStart;

    /**
     * A framer with the default limits.
     */
    public XmppFramer()
    {
        this(DEFAULT_MAX_STANZA, DEFAULT_MAX_DEPTH);
    }

    /**
     * A framer.
     *
     * @param maxStanza largest stanza in bytes.
     * @param maxDepth  deepest nesting inside a stanza.
     */
    public XmppFramer(final int maxStanza, final int maxDepth)
    {
        this(maxStanza, maxDepth, true);
    }

    /**
     * A framer with or without the route fast path (tests compare the two).
     *
     * @param maxStanza      largest stanza in bytes.
     * @param maxDepth       deepest nesting inside a stanza.
     * @param routeFastPath  whether route {@code items} messages go through {@link RouteItemsDecoder}.
     */
    XmppFramer(final int maxStanza, final int maxDepth, final boolean routeFastPath)
    {
        this.maxStanza = maxStanza;
        this.maxDepth = maxDepth;
        this.parser = new XmlParser(maxDepth);
        this.items = routeFastPath ? new RouteItemsDecoder(maxDepth) : null;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        while (in.isReadable())
        {
            final XmppInbound unit = streamOpen ? nextInStream(in) : nextBeforeStream(in);
            if (unit == null)
            {
                return;
            }
            out.add(unit);
        }
    }

    private XmppInbound nextBeforeStream(final ByteBuf in)
    {
        skipWhitespace(in);
        if (in.readableBytes() < 2)
        {
            return null;
        }
        final int r = in.readerIndex();
        if (in.getByte(r) != '<')
        {
            throw new XmppProtocolException("expected the stream header, got text");
        }
        if (in.getByte(r + 1) == '?')
        {
            final int end = indexOf(in, r + 2, "?>", MAX_HEADER);
            if (end < 0)
            {
                return null;
            }
            final String pi = in.toString(r, end + 2 - r, StandardCharsets.UTF_8);
            if (sawDeclaration || !pi.startsWith("<?xml "))
            {
                throw new XmppProtocolException("processing instructions are not allowed on an XMPP stream");
            }
            sawDeclaration = true;
            in.readerIndex(end + 2);
            return nextBeforeStream(in);
        }
        if (in.getByte(r + 1) == '!')
        {
            throw new XmppProtocolException("DTDs and declarations are not allowed on an XMPP stream");
        }
        final int end = tagEnd(in, r + 1, MAX_HEADER);
        if (end < 0)
        {
            return null;
        }
        final byte[] tagBytes = new byte[end + 1 - r];
        in.getBytes(r, tagBytes);
        final String badBytes = XmlChars.check(tagBytes, 0, tagBytes.length);
        if (badBytes != null)
        {
            throw new XmppProtocolException("stream header refused: " + badBytes);
        }
        final String tag = new String(tagBytes, StandardCharsets.UTF_8);
        if (!tag.startsWith("<" + STREAM) || tag.length() <= STREAM.length() + 1 ||
            " \t\r\n>".indexOf(tag.charAt(STREAM.length() + 1)) < 0)
        {
            throw new XmppProtocolException(
                "expected <stream:stream>, got " + tag.substring(0, Math.min(40, tag.length())));
        }
        final XmlElement header = parser.parseOpenTag(tag);
        in.readerIndex(end + 1);
        streamOpen = true;
        return new XmppInbound.StreamOpen(header);
    }

    private XmppInbound nextInStream(final ByteBuf in)
    {
        if (!inStanza)
        {
            skipWhitespace(in);
            if (!in.isReadable())
            {
                return null;
            }
            final int r = in.readerIndex();
            if (in.getByte(r) != '<')
            {
                throw new XmppProtocolException("character data between stanzas");
            }
            if (in.readableBytes() < 2)
            {
                return null;
            }
            if (in.getByte(r + 1) == '/')
            {
                if (in.readableBytes() < STREAM_END.length())
                {
                    return null;
                }
                final String end = in.toString(r, STREAM_END.length(), StandardCharsets.US_ASCII);
                if (!STREAM_END.equals(end))
                {
                    throw new XmppProtocolException("unexpected end tag at stream level");
                }
                in.skipBytes(STREAM_END.length());
                streamOpen = false;
                return new XmppInbound.StreamClose();
            }
            inStanza = true;
            have = 0;
            scan = 0;
            depth = 0;
            mode = CONTENT;
        }
        // The stanza's bytes are copied into this framer's own array as they arrive, so the scan and
        // the decoders read a plain array; they stay in the channel's buffer until the stanza's end is
        // known, so that whatever follows the end is left there for the next unit.
        final int copy = Math.min(in.readableBytes(), maxStanza + 1) - have;
        if (copy > 0)
        {
            ensureCapacity(have + copy);
            in.getBytes(in.readerIndex() + have, stanza, have, copy);
            have += copy;
        }
        final int end = scanStanza();
        if (end < 0)
        {
            if (have > maxStanza)
            {
                throw new XmppProtocolException("stanza larger than " + maxStanza + " bytes");
            }
            return null;
        }
        in.skipBytes(end);
        inStanza = false;
        have = 0;
        final String badBytes = XmlChars.check(stanza, 0, end);
        if (badBytes != null)
        {
            throw new XmppProtocolException("stanza refused: " + badBytes);
        }
        final ChannelMessage routes = items == null ? null : items.decode(stanza, 0, end);
        if (routes != null)
        {
            return new XmppInbound.Classified(routes);
        }
        return new XmppInbound.Stanza(parser.parse(new String(stanza, 0, end, StandardCharsets.UTF_8)));
    }

    private void ensureCapacity(final int size)
    {
        if (size > stanza.length)
        {
            stanza = Arrays.copyOf(stanza, Math.min(Math.max(size, stanza.length * 2), maxStanza + 1));
        }
    }

    /**
     * Continues scanning the current stanza in {@code stanza[scan, have)}.
     *
     * @return the index just after the stanza's last byte, or -1 when more bytes are needed.
     */
    private int scanStanza()
    {
        final byte[] b = stanza;
        final int limit = have;
        int i = scan;
        while (i < limit)
        {
            if (i >= maxStanza)
            {
                throw new XmppProtocolException("stanza larger than " + maxStanza + " bytes");
            }
            final byte c = b[i];
            switch (mode)
            {
                case CONTENT:
                    if (depth > 0 && c != '<')
                    {
                        // Character data inside the stanza: on to the next markup.
                        i++;
                        while (i < limit && b[i] != '<')
                        {
                            i++;
                        }
                        continue;
                    }
                    if (c == '<')
                    {
                        final int need = markupKind(i, limit);
                        if (need < 0)
                        {
                            scan = i;
                            return -1;
                        }
                        i += need;
                        continue;
                    }
                    if (depth == 0 && !isWhitespace(c))
                    {
                        throw new XmppProtocolException("character data between stanzas");
                    }
                    break;
                case TAG:
                    if (quote == 0 && c != '>' && c != '"' && c != '\'')
                    {
                        // A name or the space between attributes: on to the next character that matters.
                        i++;
                        while (i < limit && b[i] != '>' && b[i] != '"' && b[i] != '\'')
                        {
                            i++;
                        }
                        continue;
                    }
                    if (quote != 0 && c != quote)
                    {
                        i++;
                        while (i < limit && b[i] != quote)
                        {
                            i++;
                        }
                        continue;
                    }
                    if (quote != 0)
                    {
                        if (c == quote)
                        {
                            quote = 0;
                        }
                    }
                    else if (c == '"' || c == '\'')
                    {
                        quote = c;
                    }
                    else if (c == '>')
                    {
                        mode = CONTENT;
                        if (b[i - 1] != '/' || i - 1 == tagStart)
                        {
                            depth++;
                            if (depth > maxDepth)
                            {
                                throw new XmppProtocolException("element nesting deeper than " + maxDepth);
                            }
                        }
                        else if (depth == 0)
                        {
                            return i + 1;
                        }
                    }
                    break;
                case END_TAG:
                    if (c != '>')
                    {
                        i++;
                        while (i < limit && b[i] != '>')
                        {
                            i++;
                        }
                        continue;
                    }
                    if (c == '>')
                    {
                        mode = CONTENT;
                        depth--;
                        if (depth < 0)
                        {
                            throw new XmppProtocolException("end tag without a start tag");
                        }
                        if (depth == 0)
                        {
                            return i + 1;
                        }
                    }
                    break;
                case COMMENT:
                    if (c == '>' && b[i - 1] == '-' && b[i - 2] == '-')
                    {
                        mode = CONTENT;
                    }
                    break;
                case CDATA:
                    if (c == '>' && b[i - 1] == ']' && b[i - 2] == ']')
                    {
                        mode = CONTENT;
                    }
                    break;
                default:
                    throw new IllegalStateException("scan mode " + mode);
            }
            i++;
        }
        scan = i;
        return -1;
    }

    /**
     * Classifies the markup at a {@code <} and switches mode.
     *
     * @return bytes to skip, or -1 when more bytes are needed to tell.
     */
    private int markupKind(final int i, final int limit)
    {
        final byte[] b = stanza;
        if (i + 1 >= limit)
        {
            return -1;
        }
        final byte next = b[i + 1];
        if (next == '/')
        {
            mode = END_TAG;
            return 2;
        }
        if (next == '?')
        {
            throw new XmppProtocolException("processing instructions are not allowed inside a stanza");
        }
        if (next == '!')
        {
            if (i + 9 > limit)
            {
                return -1;
            }
            final String head = new String(b, i, 9, StandardCharsets.US_ASCII);
            if (head.startsWith("<!--"))
            {
                mode = COMMENT;
                return 4;
            }
            if (head.equals("<![CDATA["))
            {
                mode = CDATA;
                return 9;
            }
            throw new XmppProtocolException("DTDs and declarations are not allowed on an XMPP stream");
        }
        if (depth == 0 && next != '_' && !Character.isLetter(next))
        {
            throw new XmppProtocolException("invalid start of element");
        }
        mode = TAG;
        quote = 0;
        tagStart = i;
        return 1;
    }

    private static void skipWhitespace(final ByteBuf in)
    {
        while (in.isReadable() && isWhitespace(in.getByte(in.readerIndex())))
        {
            in.skipBytes(1);
        }
    }

    private static boolean isWhitespace(final byte b)
    {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static int tagEnd(final ByteBuf in, final int from, final int max)
    {
        byte q = 0;
        final int limit = Math.min(in.writerIndex(), from + max);
        for (int i = from; i < limit; i++)
        {
            final byte b = in.getByte(i);
            if (q != 0)
            {
                if (b == q)
                {
                    q = 0;
                }
            }
            else if (b == '"' || b == '\'')
            {
                q = b;
            }
            else if (b == '>')
            {
                return i;
            }
        }
        if (limit - from >= max)
        {
            throw new XmppProtocolException("stream header longer than " + max + " bytes");
        }
        return -1;
    }

    private static int indexOf(final ByteBuf in, final int from, final String needle, final int max)
    {
        final int limit = Math.min(in.writerIndex(), from + max);
        outer:
        for (int i = from; i + needle.length() <= limit; i++)
        {
            for (int k = 0; k < needle.length(); k++)
            {
                if (in.getByte(i + k) != needle.charAt(k))
                {
                    continue outer;
                }
            }
            return i;
        }
        if (limit - from >= max)
        {
            throw new XmppProtocolException("declaration longer than " + max + " bytes");
        }
        return -1;
    }
}
