package io.vrouter.xmpp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable XML element: qualified name (prefix kept, namespaces are not resolved, as in
 * Contrail's own parser), attributes in document order, child elements and the concatenated
 * character data directly inside it. Built by {@link XmlParser} or {@link Builder}; written back
 * with {@link #toXml()}.
 */
public final class XmlElement
{
    private final String name;
    private final Map<String, String> attributes;
    private final List<XmlElement> children;
    private final String text;

    private XmlElement(
        final String name, final Map<String, String> attributes, final List<XmlElement> children, final String text)
    {
        this.name = name;
        this.attributes = attributes;
        this.children = children;
        this.text = text;
    }

    /**
     * Starts an element.
     *
     * @param name qualified name.
     * @return a builder.
     */
    public static Builder builder(final String name)
    {
        return new Builder(name);
    }

    /**
     * An element that only holds text, e.g. {@code <label>25</label>}.
     *
     * @param name qualified name.
     * @param text character data.
     * @return the element.
     */
    public static XmlElement leaf(final String name, final String text)
    {
        return new Builder(name).text(text).build();
    }

    /**
     * The qualified name.
     *
     * @return e.g. {@code iq} or {@code stream:stream}.
     */
    public String name()
    {
        return name;
    }

    /**
     * An attribute.
     *
     * @param attribute qualified attribute name.
     * @return its value, or null.
     */
    public String attribute(final String attribute)
    {
        return attributes.get(attribute);
    }

    /**
     * All attributes in document order.
     *
     * @return unmodifiable map.
     */
    public Map<String, String> attributes()
    {
        return attributes;
    }

    /**
     * The child elements in document order.
     *
     * @return unmodifiable list.
     */
    public List<XmlElement> children()
    {
        return children;
    }

    /**
     * The first child with a name.
     *
     * @param childName qualified name.
     * @return the child, or null.
     */
    public XmlElement child(final String childName)
    {
        for (final XmlElement child : children)
        {
            if (child.name.equals(childName))
            {
                return child;
            }
        }
        return null;
    }

    /**
     * The children with a name.
     *
     * @param childName qualified name.
     * @return the children, possibly empty.
     */
    public List<XmlElement> children(final String childName)
    {
        final List<XmlElement> found = new ArrayList<>();
        for (final XmlElement child : children)
        {
            if (child.name.equals(childName))
            {
                found.add(child);
            }
        }
        return found;
    }

    /**
     * The trimmed text of the first child with a name.
     *
     * @param childName qualified name.
     * @return its text, or null when there is no such child.
     */
    public String childText(final String childName)
    {
        final XmlElement child = child(childName);
        return child == null ? null : child.text.trim();
    }

    /**
     * The character data directly inside this element (entities decoded).
     *
     * @return text, possibly empty.
     */
    public String text()
    {
        return text;
    }

    /**
     * Serializes the element; text is written before the children (Contrail's messages never mix them).
     *
     * @return XML text.
     */
    public String toXml()
    {
        final StringBuilder out = new StringBuilder(128);
        appendTo(out);
        return out.toString();
    }

    /**
     * Serializes the element into a builder.
     *
     * @param out where to write.
     */
    public void appendTo(final StringBuilder out)
    {
        out.append('<').append(name);
        for (final Map.Entry<String, String> a : attributes.entrySet())
        {
            out.append(' ').append(a.getKey()).append("=\"");
            escape(a.getValue(), out);
            out.append('"');
        }
        if (children.isEmpty() && text.isEmpty())
        {
            out.append("/>");
            return;
        }
        out.append('>');
        escape(text, out);
        for (final XmlElement child : children)
        {
            child.appendTo(out);
        }
        out.append("</").append(name).append('>');
    }

    /**
     * Writes text with the five XML special characters escaped.
     *
     * @param value text.
     * @param out   where to write.
     */
    static void escape(final String value, final StringBuilder out)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
    }

    @Override
    public String toString()
    {
        return toXml();
    }

    @Override
    public boolean equals(final Object o)
    {
        return o == this || o instanceof XmlElement e && name.equals(e.name) && attributes.equals(e.attributes) &&
            children.equals(e.children) && text.equals(e.text);
    }

    @Override
    public int hashCode()
    {
        return name.hashCode() * 31 + children.hashCode();
    }

    /**
     * Builds an element.
     */
    public static final class Builder
    {
        private final String name;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private final List<XmlElement> children = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();

        private Builder(final String name)
        {
            this.name = name;
        }

        /**
         * Sets an attribute.
         *
         * @param attribute qualified name.
         * @param value     value.
         * @return this.
         */
        public Builder attribute(final String attribute, final String value)
        {
            attributes.put(attribute, value);
            return this;
        }

        /**
         * Whether an attribute is set already.
         *
         * @param attribute qualified name.
         * @return true when set.
         */
        public boolean has(final String attribute)
        {
            return attributes.containsKey(attribute);
        }

        /**
         * Adds a child.
         *
         * @param child the child.
         * @return this.
         */
        public Builder child(final XmlElement child)
        {
            children.add(child);
            return this;
        }

        /**
         * Adds a text-only child.
         *
         * @param childName qualified name.
         * @param value     its text.
         * @return this.
         */
        public Builder leaf(final String childName, final String value)
        {
            children.add(XmlElement.leaf(childName, value));
            return this;
        }

        /**
         * Appends character data.
         *
         * @param value text.
         * @return this.
         */
        public Builder text(final String value)
        {
            text.append(value);
            return this;
        }

        /**
         * The children added so far.
         *
         * @return how many.
         */
        public int childCount()
        {
            return children.size();
        }

        /**
         * Builds the element.
         *
         * @return the element.
         */
        public XmlElement build()
        {
            return new XmlElement(
                name,
                Collections.unmodifiableMap(new LinkedHashMap<>(attributes)),
                List.copyOf(children),
                text.toString());
        }
    }
}
