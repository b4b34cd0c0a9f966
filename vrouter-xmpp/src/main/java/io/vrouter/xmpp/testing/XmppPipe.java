package io.vrouter.xmpp.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vrouter.xmpp.XmppSession;

/**
 * Two XMPP sessions joined back to back in memory ({@link EmbeddedChannel}s), with the real pipeline
 * (hold timer, framer, encoder) on each side; {@link #pump()} moves bytes until both are quiet;
 * {@link #close()} releases what was never pumped.
 */
public final class XmppPipe implements AutoCloseable
{
    private final EmbeddedChannel a;
    private final EmbeddedChannel b;

    /**
     * Joins two sessions; both see {@code channelActive} at once.
     *
     * @param first  one end (the client, which sends its header on connect).
     * @param second the other end.
     */
    public XmppPipe(final XmppSession first, final XmppSession second)
    {
        this.a = channel(first);
        this.b = channel(second);
    }

    /**
     * A channel with the session's pipeline installed.
     *
     * @param session the session.
     * @return the channel, active.
     */
    public static EmbeddedChannel channel(final XmppSession session)
    {
        return new EmbeddedChannel(new ChannelInitializer<Channel>()
        {
            @Override
            protected void initChannel(final Channel ch)
            {
                XmppSession.install(ch.pipeline(), XmppSession.DEFAULT_HOLD_SECONDS, 1 << 20, session);
            }
        });
    }

    /**
     * The first end's channel.
     *
     * @return the channel.
     */
    public EmbeddedChannel first()
    {
        return a;
    }

    /**
     * The second end's channel.
     *
     * @return the channel.
     */
    public EmbeddedChannel second()
    {
        return b;
    }

    /**
     * Closes both ends and releases what they still hold (bytes written and never pumped).
     */
    @Override
    public void close()
    {
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }

    /**
     * Moves bytes both ways until neither side has anything to send.
     */
    public void pump()
    {
        boolean moved = true;
        while (moved)
        {
            moved = move(a, b) | move(b, a);
        }
    }

    private static boolean move(final EmbeddedChannel from, final EmbeddedChannel to)
    {
        boolean moved = false;
        ByteBuf buf;
        while ((buf = from.readOutbound()) != null)
        {
            if (to.isActive())
            {
                to.writeInbound(buf);
            }
            else
            {
                buf.release();
            }
            moved = true;
        }
        return moved;
    }
}
