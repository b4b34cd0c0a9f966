package io.vrouter.xmpp.testing;

import io.netty.channel.embedded.EmbeddedChannel;
import io.vrouter.xmpp.XmppSession;

import java.util.ArrayList;
import java.util.List;

/**
 * In-memory XMPP pipes and channels for one test, released together by {@link #close()} (a test calls it
 * after each case), so that stanzas written and never read do not outlive the test.
 */
public final class XmppPipes implements AutoCloseable
{
    private final List<XmppPipe> pipes = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    /**
     * Joins two sessions back to back.
     *
     * @param first  one end (the client).
     * @param second the other end.
     * @return the pipe, released after the test.
     */
    public XmppPipe open(final XmppSession first, final XmppSession second)
    {
        final XmppPipe pipe = new XmppPipe(first, second);
        pipes.add(pipe);
        return pipe;
    }

    /**
     * One session's channel alone.
     *
     * @param session the session.
     * @return the channel, released after the test.
     */
    public EmbeddedChannel channel(final XmppSession session)
    {
        final EmbeddedChannel channel = XmppPipe.channel(session);
        channels.add(channel);
        return channel;
    }

    /**
     * Releases every pipe and channel opened so far; the instance can be used again.
     */
    @Override
    public void close()
    {
        pipes.forEach(XmppPipe::close);
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        pipes.clear();
        channels.clear();
    }
}
