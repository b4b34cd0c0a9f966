package io.vrouter.xmpp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What both ends of the controller channel share: the pipeline (hold timer, keepalives, framer,
 * encoder), the stream handshake, and the rule that any protocol violation closes the session with
 * one clear log line and touches nothing else. Subclasses see only classified messages.
 * <p>
 * Overview: the hold timer is a reader-idle timeout of the hold time (Contrail's default 90 s):
 * any byte from the peer, a whitespace keepalive included, restarts it. Keepalives are sent after a
 * third of the hold time without writing, as Contrail's agent does.
 * <p>
 * Outbound stanzas pass through a backlog drained on the event loop only while the channel is
 * writable (water marks {@value #LOW_WATER_MARK} / {@value #HIGH_WATER_MARK} bytes): a full
 * routing table sent to a slow node waits as messages, not as encoded bytes, so what is encoded
 * and not yet on the wire stays bounded and the allocator's buffers are reused.
 */
public abstract class XmppSession extends ChannelInboundHandlerAdapter
{
    /** Contrail's default hold time. */
    public static final int DEFAULT_HOLD_SECONDS = 90;

    /** Below this many unwritten bytes the channel is writable again. */
    public static final int LOW_WATER_MARK = 512 * 1024;
    /** Above this many unwritten bytes the channel stops taking stanzas from the backlog. */
    public static final int HIGH_WATER_MARK = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(XmppSession.class);

    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private boolean draining;
    private boolean drainAgain;

    private ChannelHandlerContext context;
    private String peer = "?";
    private String remoteHost = "";
    private int remotePort;
    private boolean open;

    /**
     * Installs the channel's handlers in front of a session.
     *
     * @param pipeline    the channel pipeline.
     * @param holdSeconds hold time.
     * @param maxStanza   largest stanza accepted.
     * @param session     the session handler.
     */
    public static void install(
        final ChannelPipeline pipeline, final int holdSeconds, final int maxStanza, final XmppSession session)
    {
        final long holdMillis = TimeUnit.SECONDS.toMillis(holdSeconds);
        pipeline.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK));
        pipeline.addLast("idle", new IdleStateHandler(holdMillis, holdMillis / 3, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("framer", new XmppFramer(maxStanza, XmppFramer.DEFAULT_MAX_DEPTH));
        pipeline.addLast("encoder", XmppEncoder.INSTANCE);
        pipeline.addLast("session", session);
    }

    /**
     * Whether both stream headers have been exchanged and the session has not ended.
     *
     * @return true while open.
     */
    public final boolean isOpen()
    {
        return open;
    }

    /**
     * The peer's name from its stream header (or its address before that).
     *
     * @return the peer.
     */
    public final String peer()
    {
        return peer;
    }

    /**
     * The peer's IP address (the introspect names a controller by it).
     *
     * @return the address, or empty when the channel has none (an in-memory pipe).
     */
    public final String remoteHost()
    {
        return remoteHost;
    }

    /**
     * The peer's TCP port (0 for a channel without one, such as an in-memory pipe).
     *
     * @return the port.
     */
    public final int remotePort()
    {
        return remotePort;
    }

    /**
     * Sends a stanza (from any thread; ignored when the session is not open). Stanzas leave in the
     * order they were sent.
     *
     * @param stanza the stanza: an {@link XmlElement} or an {@link XmppOutbound}.
     */
    public final void send(final Object stanza)
    {
        sendAll(List.of(stanza));
    }

    /**
     * Writes from the backlog while the channel takes more, then flushes (event loop only). A flush
     * that empties the socket's queue makes the channel writable again inside this call; that
     * nested call only marks the backlog for another round here, so the stack stays flat however
     * many stanzas wait.
     */
    private void drain(final ChannelHandlerContext ctx)
    {
        if (context != ctx || !ctx.channel().isActive())
        {
            // The connection is over: channelInactive empties the backlog.
            return;
        }
        if (draining)
        {
            drainAgain = true;
            return;
        }
        draining = true;
        try
        {
            do
            {
                drainAgain = false;
                boolean wrote = false;
                while (!backlog.isEmpty() && ctx.channel().isWritable())
                {
                    ctx.write(backlog.poll(), ctx.voidPromise());
                    wrote = true;
                }
                if (wrote)
                {
                    ctx.flush();
                }
            }
            while (drainAgain && context == ctx);
        }
        finally
        {
            draining = false;
        }
    }

    /**
     * Stanzas waiting for the channel to take them (event loop's view; for diagnostics and tests).
     *
     * @return the count.
     */
    public final int backlog()
    {
        return backlog.size();
    }

    /**
     * Bytes written to the channel and not yet taken by the socket.
     *
     * @return bytes, 0 when the session is closed.
     */
    public final long unwrittenBytes()
    {
        final ChannelHandlerContext ctx = context;
        return ctx == null || ctx.channel().unsafe().outboundBuffer() == null ? 0 :
            ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes();
    }

    @Override
    public final void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isWritable())
        {
            drain(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Closes the session, logging why.
     *
     * @param reason the reason.
     */
    public final void close(final String reason)
    {
        final ChannelHandlerContext ctx = context;
        if (ctx != null && ctx.channel().isActive())
        {
            LOG.warn("closing XMPP session with {}: {}", peer, reason);
            ctx.writeAndFlush("</stream:stream>");
            ctx.close();
        }
    }

    @Override
    public final void channelActive(final ChannelHandlerContext ctx)
    {
        context = ctx;
        peer = String.valueOf(ctx.channel().remoteAddress());
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null)
        {
            remoteHost = a.getAddress().getHostAddress();
            remotePort = a.getPort();
        }
        onConnected(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public final void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof XmppInbound.StreamOpen o)
        {
            final String from = o.header().attribute("from");
            if (from != null)
            {
                peer = from;
            }
            open = true;
            onStreamOpen(ctx, o.header());
        }
        else if (msg instanceof XmppInbound.Stanza || msg instanceof XmppInbound.Classified)
        {
            if (!open)
            {
                close("stanza before the stream header");
                return;
            }
            final ChannelMessage message;
            try
            {
                message = msg instanceof XmppInbound.Classified c ? c.message()
                    : ContrailXmpp.classify(((XmppInbound.Stanza)msg).element());
            }
            catch (final XmppProtocolException e)
            {
                close(e.getMessage());
                return;
            }
            onMessage(message);
        }
        else if (msg instanceof XmppInbound.StreamClose)
        {
            LOG.info("XMPP peer {} closed its stream", peer);
            ctx.close();
        }
    }

    @Override
    public final void channelReadComplete(final ChannelHandlerContext ctx)
    {
        onReadComplete();
        ctx.fireChannelReadComplete();
    }

    /**
     * Sends stanzas in order (from any thread; ignored when the session is not open), behind whatever
     * waits already, in one round of writes.
     *
     * @param stanzas the stanzas: {@link XmlElement}s or {@link XmppOutbound}s.
     */
    public final void sendAll(final List<?> stanzas)
    {
        final ChannelHandlerContext ctx = context;
        if (ctx == null || !ctx.channel().isActive())
        {
            return;
        }
        if (ctx.executor().inEventLoop())
        {
            backlog.addAll(stanzas);
            drain(ctx);
        }
        else
        {
            ctx.executor().execute(() ->
            {
                // Meant for a connection that has ended since: dropped, as on a closed channel.
                if (context == ctx)
                {
                    backlog.addAll(stanzas);
                    drain(ctx);
                }
            });
        }
    }

    /**
     * Everything the last read brought has been handled: a place to send what was batched.
     */
    protected void onReadComplete()
    {
    }

    @Override
    public final void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof IdleStateEvent idle)
        {
            if (idle.state() == IdleState.READER_IDLE)
            {
                close("hold time expired");
            }
            else if (idle.state() == IdleState.WRITER_IDLE)
            {
                ctx.writeAndFlush(" ");
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public final void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        final Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof XmppProtocolException)
        {
            close(root.getMessage());
        }
        else
        {
            LOG.warn("XMPP session with {} failed", peer, root);
            ctx.close();
        }
    }

    @Override
    public final void channelInactive(final ChannelHandlerContext ctx)
    {
        final boolean wasOpen = open;
        open = false;
        context = null;
        backlog.clear();
        onClosed(wasOpen);
        ctx.fireChannelInactive();
    }

    /**
     * The TCP connection is up; a client sends its stream header here.
     *
     * @param ctx the context.
     */
    protected abstract void onConnected(ChannelHandlerContext ctx);

    /**
     * The peer's stream header arrived; a server answers with its own here.
     *
     * @param ctx    the context.
     * @param header the peer's header.
     */
    protected abstract void onStreamOpen(ChannelHandlerContext ctx, XmlElement header);

    /**
     * A classified stanza arrived.
     *
     * @param message the message.
     */
    protected abstract void onMessage(ChannelMessage message);

    /**
     * The connection is gone.
     *
     * @param wasOpen whether the streams had been opened.
     */
    protected abstract void onClosed(boolean wasOpen);
}
