package io.vrouter.xmpp.testing;

import io.netty.channel.embedded.EmbeddedChannel;
import io.vrouter.agent.xmpp.XmppSession;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * In-memory XMPP pipes and channels for one test, released after it (a JUnit extension: register
 * with {@code @RegisterExtension}), so that stanzas written and never read do not outlive the test.
 */
public final class XmppPipes implements AfterEachCallback
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

    @Override
    public void afterEach(final ExtensionContext context)
    {
        pipes.forEach(XmppPipe::close);
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        pipes.clear();
        channels.clear();
    }
}
