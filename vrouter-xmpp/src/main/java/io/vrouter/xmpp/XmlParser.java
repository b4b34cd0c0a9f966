package io.vrouter.xmpp;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Parses one complete XMPP stanza (or the stream's opening tag) into an {@link XmlElement}.
 * <p>
 * Overview: a small, strict parser for the subset of XML that XMPP allows (RFC 6120 §11.1): elements,
 * attributes, character data, CDATA sections, comments and the five predefined entities plus
 * character references. Anything else (a DOCTYPE, an entity declaration, an undefined entity, a
 * processing instruction inside a stanza) is refused, so no entity expansion and no external fetch
 * can ever happen. Element depth is bounded; an explicit stack keeps hostile nesting from
 * exhausting the thread's stack.
 */
public final class XmlParser
{
    private final int maxDepth;

    /**
     * A parser.
     *
     * @param maxDepth deepest element nesting accepted (the stanza itself is depth 1).
     */
    public XmlParser(final int maxDepth)
    {
        this.maxDepth = maxDepth;
    }

    /**
     * Parses a complete element.
     *
     * @param xml the element's text, nothing before or after it but whitespace.
     * @return the element.
     * @throws XmppProtocolException when the text is not a well-formed element within the limits.
     */
    public XmlElement parse(final String xml)
    {
        final String bad = XmlChars.check(xml);
        if (bad != null)
        {
            throw new XmppProtocolException(bad);
        }
        final Cursor c = new Cursor(xml);
        c.skipWhitespace();
        final Deque<XmlElement.Builder> open = new ArrayDeque<>();
        final Deque<String> names = new ArrayDeque<>();
        XmlElement root = null;
        while (root == null)
        {
            if (c.atEnd())
            {
                throw new XmppProtocolException("truncated element: <" + names.peek() + "> is not closed");
            }
            if (c.peek() != '<')
            {
                final String text = c.readText();
                if (open.isEmpty())
                {
                    throw new XmppProtocolException("character data outside an element");
                }
                open.peek().text(text);
                continue;
            }
            if (c.startsWith("<!--"))
            {
                c.skipPast("-->", "comment");
                continue;
            }
            if (c.startsWith("<![CDATA["))
            {
                if (open.isEmpty())
                {
                    throw new XmppProtocolException("CDATA outside an element");
                }
                c.advance(9);
                open.peek().text(c.readUntil("]]>", "CDATA section"));
                continue;
            }
            if (c.startsWith("<!"))
            {
                throw new XmppProtocolException("DTDs and declarations are not allowed on an XMPP stream");
            }
            if (c.startsWith("<?"))
            {
                throw new XmppProtocolException("processing instructions are not allowed inside a stanza");
            }
            if (c.startsWith("</"))
            {
                c.advance(2);
                final String name = c.readName();
                c.skipWhitespace();
                c.expect('>');
                if (names.isEmpty() || !names.peek().equals(name))
                {
                    throw new XmppProtocolException(
                        "mismatched end tag </" + name + ">, expected </" + names.peek() + ">");
                }
                names.pop();
                final XmlElement done = open.pop().build();
                if (open.isEmpty())
                {
                    root = done;
                }
                else
                {
                    open.peek().child(done);
                }
                continue;
            }
            c.advance(1);
            final String name = c.readName();
            final XmlElement.Builder element = XmlElement.builder(name);
            final boolean selfClosing = readAttributes(c, element);
            if (names.size() + 1 > maxDepth)
            {
                throw new XmppProtocolException("element nesting deeper than " + maxDepth + " at <" + name + ">");
            }
            if (selfClosing)
            {
                final XmlElement done = element.build();
                if (open.isEmpty())
                {
                    root = done;
                }
                else
                {
                    open.peek().child(done);
                }
            }
            else
            {
                open.push(element);
                names.push(name);
            }
        }
        c.skipWhitespace();
        if (!c.atEnd())
        {
            throw new XmppProtocolException("content after the element's end");
        }
        return root;
    }

    /**
     * Parses an opening tag alone (the {@code <stream:stream ...>} header, never closed).
     *
     * @param tag the tag text from {@code <} to {@code >}.
     * @return an element with the tag's name and attributes and no content.
     */
    public XmlElement parseOpenTag(final String tag)
    {
        final Cursor c = new Cursor(tag);
        c.skipWhitespace();
        c.expect('<');
        final XmlElement.Builder element = XmlElement.builder(c.readName());
        if (readAttributes(c, element))
        {
            throw new XmppProtocolException("the stream header must not be self-closing");
        }
        c.skipWhitespace();
        if (!c.atEnd())
        {
            throw new XmppProtocolException("content after the stream header");
        }
        return element.build();
    }

    private static boolean readAttributes(final Cursor c, final XmlElement.Builder element)
    {
        while (true)
        {
            final boolean spaced = c.skipWhitespace();
            if (c.atEnd())
            {
                throw new XmppProtocolException("truncated tag");
            }
            final char ch = c.peek();
            if (ch == '>')
            {
                c.advance(1);
                return false;
            }
            if (ch == '/')
            {
                c.advance(1);
                c.expect('>');
                return true;
            }
            if (!spaced)
            {
                throw new XmppProtocolException("attributes must be separated by whitespace");
            }
            final String attribute = c.readName();
            c.skipWhitespace();
            c.expect('=');
            c.skipWhitespace();
            final char quote = c.atEnd() ? 0 : c.peek();
            if (quote != '"' && quote != '\'')
            {
                throw new XmppProtocolException("attribute " + attribute + " value is not quoted");
            }
            c.advance(1);
            final String raw = c.readUntil(String.valueOf(quote), "attribute value");
            if (raw.indexOf('<') >= 0)
            {
                throw new XmppProtocolException("'<' inside attribute " + attribute);
            }
            if (element.has(attribute))
            {
                throw new XmppProtocolException("duplicate attribute " + attribute);
            }
            element.attribute(attribute, decodeEntities(raw));
        }
    }

    /**
     * Replaces the predefined entities and character references.
     *
     * @param raw text as written.
     * @return decoded text.
     */
    static String decodeEntities(final String raw)
    {
        final int amp = raw.indexOf('&');
        if (amp < 0)
        {
            return raw;
        }
        final StringBuilder out = new StringBuilder(raw.length());
        out.append(raw, 0, amp);
        int i = amp;
        while (i < raw.length())
        {
            final char ch = raw.charAt(i);
            if (ch != '&')
            {
                out.append(ch);
                i++;
                continue;
            }
            final int semi = raw.indexOf(';', i);
            if (semi < 0 || semi - i > 12)
            {
                throw new XmppProtocolException("unterminated entity reference");
            }
            final String entity = raw.substring(i + 1, semi);
            switch (entity)
            {
                case "lt" -> out.append('<');
                case "gt" -> out.append('>');
                case "amp" -> out.append('&');
                case "quot" -> out.append('"');
                case "apos" -> out.append('\'');
                default -> out.appendCodePoint(characterReference(entity));
            }
            i = semi + 1;
        }
        return out.toString();
    }

    private static int characterReference(final String entity)
    {
        if (!entity.startsWith("#") || entity.length() < 2)
        {
            throw new XmppProtocolException("undefined entity &" + entity + "; (only the XML predefined ones)");
        }
        try
        {
            final int cp = entity.charAt(1) == 'x' ?
                Integer.parseInt(entity.substring(2), 16) : Integer.parseInt(entity.substring(1));
            if (!Character.isValidCodePoint(cp) || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
                (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
            {
                throw new XmppProtocolException("invalid character reference &" + entity + ";");
            }
            return cp;
        }
        catch (final NumberFormatException e)
        {
            throw new XmppProtocolException("invalid character reference &" + entity + ";");
        }
    }

    private static final class Cursor
    {
        private final String s;
        private int i;

        Cursor(final String s)
        {
            this.s = s;
        }

        boolean atEnd()
        {
            return i >= s.length();
        }

        char peek()
        {
            return s.charAt(i);
        }

        void advance(final int n)
        {
            i += n;
        }

        boolean startsWith(final String prefix)
        {
            return s.startsWith(prefix, i);
        }

        boolean skipWhitespace()
        {
            final int start = i;
            while (i < s.length() && isWhitespace(s.charAt(i)))
            {
                i++;
            }
            return i > start;
        }

        void expect(final char ch)
        {
            if (atEnd() || s.charAt(i) != ch)
            {
                throw new XmppProtocolException("expected '" + ch + "'" + (atEnd() ? " (truncated)" : ""));
            }
            i++;
        }

        String readName()
        {
            final int start = i;
            while (i < s.length() && isNameChar(s.charAt(i), i == start))
            {
                i++;
            }
            if (i == start)
            {
                throw new XmppProtocolException(atEnd() ? "truncated tag" : "invalid name at '" + s.charAt(i) + "'");
            }
            return s.substring(start, i);
        }

        String readText()
        {
            final int lt = s.indexOf('<', i);
            final int end = lt < 0 ? s.length() : lt;
            final String raw = s.substring(i, end);
            i = end;
            if (raw.indexOf('>') >= 0 && raw.contains("]]>"))
            {
                throw new XmppProtocolException("']]>' in character data");
            }
            return decodeEntities(raw);
        }

        String readUntil(final String terminator, final String what)
        {
            final int end = s.indexOf(terminator, i);
            if (end < 0)
            {
                throw new XmppProtocolException("truncated " + what);
            }
            final String value = s.substring(i, end);
            i = end + terminator.length();
            return value;
        }

        void skipPast(final String terminator, final String what)
        {
            readUntil(terminator, what);
        }

        private static boolean isWhitespace(final char ch)
        {
            return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
        }

        private static boolean isNameChar(final char ch, final boolean first)
        {
            if (Character.isLetter(ch) || ch == '_' || ch == ':')
            {
                return true;
            }
            return !first && (Character.isDigit(ch) || ch == '-' || ch == '.');
        }
    }
}
