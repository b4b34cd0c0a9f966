package io.vrouter.agent.fabric;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.wire.Checksums;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.IpProtocol;

/**
 * The node's MPLSoUDP fabric port: one UDP socket bound to the fabric address and port 6635,
 * opened through netty's native epoll transport.
 * <p>
 * Receive: netty's event loop reads with {@code recvmmsg} ({@code MAX_DATAGRAM_PAYLOAD_SIZE}) and
 * copies each datagram's payload (MPLS label and inner packet) with its sender into a single-producer
 * ring; the worker that owns the fabric drains the ring into its batch, writing an outer
 * Ethernet/IPv4/UDP header in front of the payload so the forwarder's fabric path (receive next hop,
 * decapsulation, label) runs unchanged. Send: each worker has a {@link FabricSender} that sends the
 * UDP payload of every frame the forwarder put on the fabric vif with one {@code sendmmsg} per batch
 * on the same socket; the kernel builds the outer headers, so the forwarder's entropy source port
 * is not kept on the wire.
 * <p>
 * Allocation: the workers' side (ring drain, header synthesis, {@code sendmmsg}) allocates nothing;
 * netty's receive side allocates per datagram (its {@code DatagramPacket} and sender address, plus
 * the sender's address bytes copied here) on the {@code fabric-rx} thread.
 */
public final class FabricPort implements AutoCloseable
{
    /** MPLSoUDP destination port. */
    public static final int MPLS_UDP_PORT = 6635;
    /** Outer Ethernet + IPv4 + UDP header written in front of a received payload. */
    public static final int OUTER_LENGTH = 14 + 20 + 8;

    private static final Logger LOG = LoggerFactory.getLogger(FabricPort.class);
    private static final int RING_BYTES = 8 << 20;
    private static final int MAX_DATAGRAM = 9216;
    private static final int DATAGRAMS_PER_READ = 32;
    private static final int MSG_TYPE = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SOCKET_BUFFER = 16 << 20;
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_RAW = 255;

    private final InetSocketAddress bindAddress;
    private final int localAddress;
    private final int fabricVif;
    private final OneToOneRingBuffer ring;
    private final UnsafeBuffer scratch = new UnsafeBuffer(0, 0);
    private final MessageHandler toBatch = this::toBatch;
    private EventLoopGroup group;
    private Channel channel;
    private int fd = -1;
    private int rawFd = -1;
    private volatile Runnable onReceive;
    private PacketBatch drainBatch;
    private volatile long rxDatagrams;
    private volatile long rxRingFull;
    private long rxTooBig;

    /**
     * A fabric port (not yet bound).
     *
     * @param bindAddress the node's fabric address and port.
     * @param fabricVif   the vif index of the fabric interface.
     */
    public FabricPort(final InetSocketAddress bindAddress, final int fabricVif)
    {
        this.bindAddress = bindAddress;
        final byte[] a = bindAddress.getAddress().getAddress();
        if (a.length != 4)
        {
            throw new IllegalArgumentException("the fabric address must be IPv4: " + bindAddress);
        }
        this.localAddress = ByteBuffer.wrap(a).getInt();
        this.fabricVif = fabricVif;
        this.ring = new OneToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Binds the socket.
     *
     * @throws Exception when the address cannot be bound (not on any interface, in use).
     */
    public void start() throws Exception
    {
        group = new MultiThreadIoEventLoopGroup(1, (java.util.concurrent.ThreadFactory)r -> new Thread(r, "fabric-rx"),
            EpollIoHandler.newFactory());
        final Bootstrap b = new Bootstrap()
            .group(group)
            .channel(EpollDatagramChannel.class)
            .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
            .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_READ))
            .option(ChannelOption.SO_RCVBUF, 8 << 20)
            .option(ChannelOption.SO_SNDBUF, 8 << 20)
            .handler(new Receiver());
        try
        {
            channel = b.bind(bindAddress).sync().channel();
        }
        catch (final Exception e)
        {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
            throw e;
        }
        fd = ((EpollDatagramChannel)channel).fd().intValue();
        // Root may exceed net.core.rmem_max/wmem_max: a deep socket buffer rides out scheduling gaps.
        final int rcv = io.vrouter.agent.port.Posix.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, SOCKET_BUFFER);
        final int snd = io.vrouter.agent.port.Posix.setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, SOCKET_BUFFER);
        if (rcv != 0 || snd != 0)
        {
            LOG.warn("fabric socket buffers not raised to {} bytes (errno {} / {})", SOCKET_BUFFER, rcv, snd);
        }
        openRawSender();
        LOG.info("fabric port bound to {} (epoll, recvmmsg up to {} datagrams per read); sends {}", bindAddress,
            DATAGRAMS_PER_READ, rawFd >= 0 ? "through a raw IPv4 socket (the forwarder's outer headers, the flow's "
            + "entropy source port)" : "through the UDP socket (source port " + bindAddress.getPort() + ")");
    }

    /**
     * Opens the raw IPv4 socket the workers send tunnel packets through, so that each leaves with the outer
     * IPv4 and UDP headers the forwarder wrote (RFC 7510's entropy source port, docs/wire-formats.md) rather than
     * the UDP socket's (source port 6635). Without {@code CAP_NET_RAW} the UDP socket sends instead.
     */
    private void openRawSender()
    {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined())
        {
            final java.lang.foreign.MemorySegment errno = io.vrouter.agent.port.Posix.newErrnoSegment(arena);
            final int raw = io.vrouter.agent.port.Posix.socket(errno, AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
            if (raw < 0)
            {
                final int e = io.vrouter.agent.port.Posix.errno(errno);
                LOG.warn("no raw IPv4 socket for the fabric ({}): tunnel packets leave through the UDP socket, with "
                    + "its source port instead of the flow's entropy port", io.vrouter.agent.port.Posix.strerror(e));
                return;
            }
            final int snd = io.vrouter.agent.port.Posix.setsockopt(raw, SOL_SOCKET, SO_SNDBUFFORCE, SOCKET_BUFFER);
            if (snd != 0)
            {
                LOG.warn("raw fabric socket's send buffer not raised to {} bytes (errno {})", SOCKET_BUFFER, snd);
            }
            rawFd = raw;
        }
    }

    /**
     * The raw IPv4 socket's file descriptor (for {@link FabricSender}), or -1 when tunnel packets go through the
     * UDP socket.
     *
     * @return the fd, or -1.
     */
    public int rawFd()
    {
        return rawFd;
    }

    /**
     * Sets what runs after each datagram the receive thread puts on the ring (the owner worker's wake-up while
     * it sleeps idle).
     *
     * @param r the action, or null.
     */
    public void onReceive(final Runnable r)
    {
        onReceive = r;
    }

    /**
     * Whether datagrams wait on the ring for the owner worker.
     *
     * @return true when the ring is not empty.
     */
    public boolean pending()
    {
        return ring.size() > 0;
    }

    /**
     * The socket's file descriptor (for {@link FabricSender}).
     *
     * @return the fd.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * The fabric vif index.
     *
     * @return the index.
     */
    public int fabricVif()
    {
        return fabricVif;
    }

    /**
     * A sender for one worker.
     *
     * @param capacity most frames per flush (the batch size).
     * @return the sender.
     */
    public FabricSender newSender(final int capacity)
    {
        return new FabricSender(this, capacity, 1);
    }

    /**
     * A sender for one worker of several, with room for a batch's super-frames' segments.
     *
     * @param capacity most datagrams per {@code sendmmsg} (a full vector is sent and refilled).
     * @param idStride the step between the worker's outer IPv4 IDs (the number of workers).
     * @return the sender.
     */
    public FabricSender newSender(final int capacity, final int idStride)
    {
        return new FabricSender(this, capacity, idStride);
    }

    /**
     * Datagrams received.
     *
     * @return count.
     */
    public long rxDatagrams()
    {
        return rxDatagrams;
    }

    /**
     * Datagrams dropped because the ring to the worker was full.
     *
     * @return count.
     */
    public long rxRingFull()
    {
        return rxRingFull;
    }

    /**
     * Moves received payloads into the batch (the owning worker's thread).
     *
     * @param batch the batch.
     * @return payloads moved.
     */
    public int drain(final PacketBatch batch)
    {
        final int room = batch.capacity() - batch.count();
        if (room <= 0)
        {
            return 0;
        }
        drainBatch = batch;
        return ring.read(toBatch, room);
    }

    private void toBatch(final int msgTypeId, final org.agrona.MutableDirectBuffer src, final int index,
        final int length)
    {
        final PacketBatch batch = drainBatch;
        final int payload = length - 8;
        if (payload + OUTER_LENGTH > batch.maxFrame())
        {
            rxTooBig++;
            return;
        }
        final int slot = batch.claim();
        if (slot < 0)
        {
            return;
        }
        final UnsafeBuffer buf = batch.buffer(slot);
        final int eth = PacketBatch.HEADROOM;
        final int ip = eth + 14;
        final int udp = ip + 20;
        buf.setMemory(eth, 12, (byte)0);
        buf.putShort(eth + 12, (short)EtherType.IPV4, ByteOrder.BIG_ENDIAN);
        buf.putByte(ip, (byte)0x45);
        buf.putByte(ip + 1, (byte)0);
        buf.putShort(ip + 2, (short)(20 + 8 + payload), ByteOrder.BIG_ENDIAN);
        buf.putInt(ip + 4, 0x4000, ByteOrder.BIG_ENDIAN);
        buf.putByte(ip + 8, (byte)64);
        buf.putByte(ip + 9, (byte)IpProtocol.UDP);
        buf.putShort(ip + 10, (short)0);
        buf.putInt(ip + 12, src.getInt(index, ByteOrder.BIG_ENDIAN), ByteOrder.BIG_ENDIAN);
        buf.putInt(ip + 16, localAddress, ByteOrder.BIG_ENDIAN);
        Checksums.updateIpv4HeaderChecksum(buf, ip);
        buf.putShort(udp, (short)src.getInt(index + 4, ByteOrder.BIG_ENDIAN), ByteOrder.BIG_ENDIAN);
        buf.putShort(udp + 2, (short)MPLS_UDP_PORT, ByteOrder.BIG_ENDIAN);
        buf.putShort(udp + 4, (short)(8 + payload), ByteOrder.BIG_ENDIAN);
        buf.putShort(udp + 6, (short)0);
        buf.putBytes(udp + 8, src, index + 8, payload);
        batch.commit(slot, fabricVif, OUTER_LENGTH + payload);
    }

    private void fromNetwork(final DatagramPacket packet)
    {
        final ByteBuf content = packet.content();
        final int length = content.readableBytes();
        final int index = ring.tryClaim(MSG_TYPE, length + 8);
        if (index < 0)
        {
            rxRingFull = rxRingFull + 1;
            return;
        }
        final UnsafeBuffer dst = (UnsafeBuffer)ring.buffer();
        final InetSocketAddress sender = packet.sender();
        final byte[] a = sender.getAddress().getAddress();
        dst.putInt(index, a.length == 4 ? ((a[0] & 0xFF) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8)
            | (a[3] & 0xFF) : 0, ByteOrder.BIG_ENDIAN);
        dst.putInt(index + 4, sender.getPort(), ByteOrder.BIG_ENDIAN);
        if (content.hasMemoryAddress())
        {
            scratch.wrap(content.memoryAddress() + content.readerIndex(), length);
            dst.putBytes(index + 8, scratch, 0, length);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                dst.putByte(index + 8 + i, content.getByte(content.readerIndex() + i));
            }
        }
        ring.commit(index);
        rxDatagrams = rxDatagrams + 1;
        final Runnable r = onReceive;
        if (r != null)
        {
            r.run();
        }
    }

    /** Closes the socket and its event loop. */
    @Override
    public void close()
    {
        if (rawFd >= 0)
        {
            io.vrouter.agent.port.Posix.close(rawFd);
            rawFd = -1;
        }
        if (channel != null)
        {
            channel.close().syncUninterruptibly();
        }
        if (group != null)
        {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
        {
            fromNetwork(packet);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            LOG.warn("fabric socket: {}", cause.toString());
        }
    }
}
