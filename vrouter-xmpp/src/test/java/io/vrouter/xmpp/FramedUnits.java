package io.vrouter.xmpp;

import java.util.List;

import io.netty.channel.embedded.EmbeddedChannel;

/**
 * What a framer under test produced, as comparable strings: the framed units read so far, each described by the
 * message it classifies as (or why it does not). Shared by the tests that compare the route fast path with the
 * general parser.
 */
final class FramedUnits
{
    private FramedUnits()
    {
    }

    /**
     * Appends a description of every unit the channel has read so far.
     *
     * @param ch  the channel holding the framer.
     * @param out the descriptions.
     */
    static void drain(final EmbeddedChannel ch, final List<String> out)
    {
        Object o;
        while ((o = ch.readInbound()) != null)
        {
            out.add(describe(o));
        }
    }

    private static String describe(final Object unit)
    {
        if (unit instanceof XmppInbound.Classified c)
        {
            return "message " + c.message();
        }
        if (unit instanceof XmppInbound.Stanza s)
        {
            try
            {
                return "message " + ContrailXmpp.classify(s.element());
            }
            catch (final XmppProtocolException e)
            {
                return "unclassifiable: " + e.getMessage();
            }
        }
        return unit.getClass().getSimpleName();
    }
}
