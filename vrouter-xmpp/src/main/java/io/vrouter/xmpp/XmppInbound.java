package io.vrouter.xmpp;

/**
 * What the {@link XmppFramer} hands up the pipeline: the peer's stream header, each complete
 * stanza, and the end of the stream.
 */
public sealed interface XmppInbound
{
    /**
     * The peer opened its stream.
     *
     * @param header the {@code stream:stream} tag with its attributes ({@code from}, {@code to}, {@code id}).
     */
    record StreamOpen(XmlElement header) implements XmppInbound
    {
    }

    /**
     * One complete top-level element inside the stream ({@code iq}, {@code message}, ...).
     *
     * @param element the stanza.
     */
    record Stanza(XmlElement element) implements XmppInbound
    {
    }

    /**
     * A stanza the framer already turned into its message (a route {@code items} message read
     * straight from bytes); the same message {@link ContrailXmpp#classify} would have made.
     *
     * @param message the message.
     */
    record Classified(ChannelMessage message) implements XmppInbound
    {
    }

    /**
     * The peer closed its stream ({@code </stream:stream>}).
     */
    record StreamClose() implements XmppInbound
    {
    }
}
