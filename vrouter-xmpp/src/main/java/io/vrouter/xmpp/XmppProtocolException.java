package io.vrouter.xmpp;

/**
 * Input on the XMPP channel that breaks the protocol or a limit: malformed XML, a DTD or entity
 * declaration, an element nested too deep, a stanza too large, or a message that does not follow
 * Contrail's schema. The session that receives it is closed; forwarding state is not touched.
 */
public final class XmppProtocolException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A violation.
     *
     * @param message what was wrong, for the log line.
     */
    public XmppProtocolException(final String message)
    {
        super(message, null, false, false);
    }
}
