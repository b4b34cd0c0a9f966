package io.vrouter.agent.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.net.ConnectionLimiter;
import io.vrouter.core.request.CaptureRequest;
import io.vrouter.core.request.DropStatsRequest;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Parsed;
import io.vrouter.core.request.PodRequest;
import io.vrouter.core.request.PortRequest;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.request.TraceRequest;
import io.vrouter.core.request.VrfStatsRequest;

/**
 * The daemon's control socket: a UNIX-domain stream socket served by a netty epoll event loop
 * (ADR 0001). The socket file is created mode 0600 in a directory created 0755, before any
 * connection is accepted; a peer whose {@code SO_PEERCRED} uid is not root gets an {@code EPERM}
 * error frame and is disconnected. Frames are cut and copied on the event loop and decoded and
 * executed on one control thread (so a long request never blocks the event loop, and requests from
 * all clients are applied in arrival order): a frame that does not decode is refused whole with
 * {@code EINVAL}; an oversized frame is refused with {@code EMSGSIZE} and the connection closed
 * (its framing is lost); a client that disconnects before its frame is complete changes nothing.
 * Each object of a decoded frame is read into its typed record ({@link ControlCodec.RequestFrame#requests()});
 * one that does not read is answered with its refusal in its place. {@link PortRequest}s go to
 * {@link NodeService#addPort}/{@link NodeService#deletePort}/{@link NodeService#ports};
 * {@link DropStatsRequest}s and {@link VrfStatsRequest}s are read from the workers' counters
 * ({@link StatsRequests}); {@link TraceRequest}s and {@link CaptureRequest}s to the forwarder's packet
 * watch ({@link WatchRequests}); every other record goes to {@link NodeService#program}.
 * <p>
 * Limits: at most {@value #MAX_CONNECTIONS} connections; a connection that has not sent a whole
 * frame within {@value #IDLE_MILLIS} ms of connecting or of its last answer is closed (and is the
 * first to go when a new connection arrives at the cap, {@link ConnectionLimiter}); one frame per
 * connection is in hand at a time (reading stops until it is answered); and the frames in hand,
 * partial or whole, of all connections together hold at most {@value #MAX_BUFFERED} bytes, so a
 * frame that would go over is refused with {@code ENOMEM} and its connection closed.
 */
public final class ControlServer implements AutoCloseable
{
    /** Most connections open at once. */
    public static final int MAX_CONNECTIONS = 32;
    /** How long a connection may wait to send a whole frame. */
    public static final long IDLE_MILLIS = 30_000;
    /** Most bytes of frames in hand (partial or being answered), all connections together. */
    public static final long MAX_BUFFERED = 4L * ControlCodec.MAX_FRAME;

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final AtomicLong buffered = new AtomicLong();
    private final ConnectionLimiter limiter = new ConnectionLimiter("control socket", MAX_CONNECTIONS, IDLE_MILLIS);

    private final NodeService node;
    private final Path socketPath;
    private final int chunkBytes;
    private EventLoopGroup group;
    private ExecutorService executor;
    private Channel serverChannel;
    private ChannelGroup clients;

    /**
     * A server, not yet started.
     *
     * @param node       the node requests are applied to.
     * @param socketPath where the socket file is created.
     */
    public ControlServer(final NodeService node, final Path socketPath)
    {
        this(node, socketPath, ControlCodec.CHUNK_BYTES);
    }

    /**
     * A server with a chosen response chunk size (tests use small chunks).
     *
     * @param node       the node.
     * @param socketPath the socket path.
     * @param chunkBytes response frames are cut after about this many bytes.
     */
    public ControlServer(final NodeService node, final Path socketPath, final int chunkBytes)
    {
        this.node = node;
        this.socketPath = socketPath.toAbsolutePath();
        this.chunkBytes = chunkBytes;
    }

    /**
     * The socket path.
     *
     * @return the path.
     */
    public Path socketPath()
    {
        return socketPath;
    }

    /**
     * Creates the socket (replacing a stale file no daemon answers on) and starts accepting.
     *
     * @throws IOException if the directory or socket cannot be created, or another daemon is
     *                     listening on the path ("address in use").
     */
    public synchronized void start() throws IOException
    {
        if (serverChannel != null)
        {
            throw new IllegalStateException("already started");
        }
        final Path dir = socketPath.getParent();
        if (dir != null && !Files.isDirectory(dir))
        {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (Files.exists(socketPath))
        {
            if (answers(socketPath))
            {
                throw new IOException("address in use: another daemon is listening on " + socketPath);
            }
            LOG.info("removing stale control socket {}", socketPath);
            Files.delete(socketPath);
        }
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        executor = Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "vrouter-control");
            t.setDaemon(true);
            return t;
        });
        clients = new DefaultChannelGroup("control-clients", GlobalEventExecutor.INSTANCE);
        try
        {
            serverChannel = new ServerBootstrap()
                .group(group)
                .channel(EpollServerDomainSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<EpollDomainSocketChannel>()
                {
                    @Override
                    protected void initChannel(final EpollDomainSocketChannel ch)
                    {
                        if (limiter.admit(ch))
                        {
                            ch.pipeline().addLast(new FrameHandler());
                        }
                    }
                })
                .bind(new DomainSocketAddress(socketPath.toString()))
                .syncUninterruptibly()
                .channel();
            Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
            serverChannel.config().setAutoRead(true);
        }
        catch (final RuntimeException | IOException e)
        {
            close();
            throw e instanceof IOException ? (IOException)e : new IOException(
                "cannot listen on " + socketPath + ": " + e.getMessage(), e);
        }
        LOG.info("control socket listening on {}", socketPath);
    }

    /**
     * Stops accepting, disconnects clients, finishes the request in progress and removes the socket file.
     */
    @Override
    public synchronized void close()
    {
        if (serverChannel != null)
        {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
            try
            {
                Files.deleteIfExists(socketPath);
            }
            catch (final IOException e)
            {
                LOG.warn("cannot remove {}: {}", socketPath, e.toString());
            }
        }
        if (clients != null)
        {
            clients.close().awaitUninterruptibly();
            clients = null;
        }
        if (executor != null)
        {
            executor.shutdown();
            try
            {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS))
                {
                    executor.shutdownNow();
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
        if (group != null)
        {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }

    private static boolean answers(final Path path)
    {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            ch.connect(UnixDomainSocketAddress.of(path));
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    /**
     * Executes a decoded request frame: consecutive forwarder records go to {@link NodeService#program}
     * together, port and counter requests one by one to the port methods and {@link StatsRequests}, and
     * an object that did not read is answered with its refusal.
     *
     * @param node     the node.
     * @param requests the frame's requests, read.
     * @return one response per request.
     */
    static List<Response> execute(final NodeService node, final List<Parsed> requests)
    {
        final List<Response> out = new ArrayList<>(requests.size());
        int i = 0;
        while (i < requests.size())
        {
            if (forwarder(requests.get(i)))
            {
                final List<SandeshRecord> run = new ArrayList<>();
                while (i < requests.size() && forwarder(requests.get(i)))
                {
                    run.add(requests.get(i).record());
                    i++;
                }
                out.addAll(node.program(run));
            }
            else
            {
                out.add(answerAlone(node, requests.get(i)));
                i++;
            }
        }
        return out;
    }

    /** The answer to a request that does not go to the forwarder: a refusal, a port or a counter read. */
    private static Response answerAlone(final NodeService node, final Parsed p)
    {
        if (!p.ok())
        {
            return Response.error(p.refusal());
        }
        return switch (p.record())
        {
            case PortRequest port -> PortRequests.execute(node, port);
            case PodRequest pod -> node.pod(pod);
            case DropStatsRequest drops -> StatsRequests.execute(node.vrouter(), drops, node.countersFile(),
                node.stateFile());
            case VrfStatsRequest vrfs -> StatsRequests.execute(node.vrouter(), vrfs);
            case TraceRequest trace -> WatchRequests.execute(node.vrouter(), trace);
            case CaptureRequest capture -> WatchRequests.execute(node.vrouter(), capture);
            default -> throw new IllegalStateException(p.record().struct() + " is the forwarder's");
        };
    }

    /** Whether a request goes to the forwarder ({@link NodeService#program}). */
    private static boolean forwarder(final Parsed p)
    {
        return p.ok() && !(p.record() instanceof PortRequest || p.record() instanceof PodRequest
            || p.record() instanceof DropStatsRequest
            || p.record() instanceof VrfStatsRequest || p.record() instanceof TraceRequest
            || p.record() instanceof CaptureRequest);
    }

    private void handle(final Channel ch, final byte[] body)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(body);
        final ControlCodec.RequestFrame frame;
        try
        {
            frame = ControlCodec.decodeRequest(buffer);
        }
        catch (final DecodeException e)
        {
            LOG.warn("control: refused a frame from {}: {}", ch.remoteAddress(), e.getMessage());
            write(ch, List.of(ControlCodec.encodeError(ControlCodec.peekId(ByteBuffer.wrap(body)), Errno.EINVAL,
                "malformed frame, nothing applied: " + e.getMessage())));
            return;
        }
        List<byte[]> frames;
        try
        {
            final List<ControlCodec.Answer> answers = new ArrayList<>();
            for (final Response r : execute(node, frame.requests()))
            {
                answers.add(ControlCodec.answer(r));
            }
            frames = ControlCodec.encodeResponses(frame.id(), answers, chunkBytes);
        }
        catch (final RuntimeException e)
        {
            LOG.error("control: request frame {} failed", frame.id(), e);
            frames = List.of(ControlCodec.encodeError(frame.id(), Errno.EINVAL, "internal error: " + e));
        }
        write(ch, frames);
    }

    private static void write(final Channel ch, final List<byte[]> frames)
    {
        if (!ch.isActive())
        {
            return;
        }
        for (final byte[] f : frames)
        {
            ch.write(Unpooled.wrappedBuffer(f));
        }
        ch.flush();
    }

    /** Cuts frames on the event loop and hands each to the control thread. */
    private final class FrameHandler extends ByteToMessageDecoder
    {
        private boolean refused;
        private boolean inHand;
        private int reserved;

        @Override
        public void channelActive(final ChannelHandlerContext ctx) throws Exception
        {
            final EpollDomainSocketChannel ch = (EpollDomainSocketChannel)ctx.channel();
            int uid = -1;
            try
            {
                final PeerCredentials cred = ch.peerCredentials();
                uid = cred.uid();
            }
            catch (final IOException e)
            {
                LOG.warn("control: cannot read peer credentials: {}", e.toString());
            }
            if (uid != 0)
            {
                refused = true;
                LOG.warn("control: refused a client with uid {} (root only)", uid);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(ControlCodec.encodeError(0, ControlCodec.EPERM,
                    "permission denied: the control socket is root-only (peer uid " + uid + ")")))
                    .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            final ChannelGroup g = clients;
            if (g != null)
            {
                g.add(ch);
            }
            super.channelActive(ctx);
        }

        @Override
        protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
        {
            if (refused)
            {
                in.skipBytes(in.readableBytes());
                return;
            }
            while (!inHand && in.readableBytes() >= ControlCodec.LENGTH_BYTES)
            {
                final int length;
                try
                {
                    length = ControlCodec.frameLength(in.nioBuffer(in.readerIndex(), ControlCodec.LENGTH_BYTES));
                }
                catch (final DecodeException e)
                {
                    refused = true;
                    final long declared = in.getUnsignedInt(in.readerIndex());
                    final int code = declared > ControlCodec.MAX_FRAME ? ControlCodec.EMSGSIZE : Errno.EINVAL;
                    LOG.warn("control: closing a connection: {}", e.getMessage());
                    in.skipBytes(in.readableBytes());
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(ControlCodec.encodeError(0, code,
                        e.getMessage() + "; nothing applied, closing the connection")))
                        .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                if (reserved == 0)
                {
                    final long total = buffered.addAndGet(length);
                    reserved = length;
                    if (total > MAX_BUFFERED)
                    {
                        refused = true;
                        release();
                        LOG.warn("control: closing a connection: a frame of {} bytes would hold more than {} " +
                            "bytes of frames in hand", length, MAX_BUFFERED);
                        in.skipBytes(in.readableBytes());
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(ControlCodec.encodeError(0, Errno.ENOMEM,
                            "the control socket holds too many frames; nothing applied, closing the connection")))
                            .addListener(ChannelFutureListener.CLOSE);
                        return;
                    }
                }
                if (in.readableBytes() < ControlCodec.LENGTH_BYTES + length)
                {
                    return;
                }
                in.skipBytes(ControlCodec.LENGTH_BYTES);
                final byte[] body = new byte[length];
                in.readBytes(body);
                final Channel ch = ctx.channel();
                final ExecutorService ex = executor;
                if (ex == null || ex.isShutdown())
                {
                    return;
                }
                // One frame in hand per connection: reading stops until it is answered.
                limiter.proved(ch);
                ch.config().setAutoRead(false);
                inHand = true;
                try
                {
                    ex.execute(() ->
                    {
                        try
                        {
                            handle(ch, body);
                        }
                        finally
                        {
                            ch.eventLoop().execute(() -> answered(ctx));
                        }
                    });
                }
                catch (final RejectedExecutionException e)
                {
                    LOG.warn("control: shutting down, frame from {} not applied", ch.remoteAddress());
                }
                return;
            }
        }

        /** The frame in hand is answered: its bytes go back to the budget and reading resumes. */
        private void answered(final ChannelHandlerContext ctx)
        {
            inHand = false;
            release();
            final Channel ch = ctx.channel();
            if (!ch.isActive())
            {
                return;
            }
            limiter.idle(ch);
            ch.config().setAutoRead(true);
            // Frames that arrived behind the answered one wait in the cumulation: decode them now.
            ctx.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
        }

        private void release()
        {
            if (reserved != 0)
            {
                buffered.addAndGet(-reserved);
                reserved = 0;
            }
        }

        @Override
        protected void decodeLast(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
        {
            // The client is gone: what it had not sent whole is dropped, nothing of it applied.
            in.skipBytes(in.readableBytes());
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception
        {
            super.channelInactive(ctx);
            if (!inHand)
            {
                release();
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            LOG.warn("control: connection error: {}", cause.toString());
            ctx.close();
        }
    }
}
