package io.vrouter.xmpp;

import io.netty.buffer.ByteBuf;

/**
 * A stanza that writes its own bytes, so that a large one (a routing table's {@code items}) goes from
 * its data to UTF-8 without an element tree or a string in between. What it writes is exactly what
 * the equivalent {@link XmlElement} would serialize to.
 */
public interface XmppOutbound
{
    /**
     * A guess of the encoded size, used to size the buffer.
     *
     * @return bytes.
     */
    int sizeHint();

    /**
     * Writes the stanza.
     *
     * @param out where to write.
     */
    void writeTo(ByteBuf out);
}
