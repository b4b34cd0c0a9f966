package io.vrouter.agent.port;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the daemon's packet I/O needs, through the FFM API ({@code java.lang.foreign}).
 * <p>
 * Buffers are passed as raw addresses ({@code long}) so that the per-packet calls
 * ({@link #read}, {@link #write}, {@link #sendmmsg}) allocate nothing; {@code errno} is captured
 * into a segment the caller owns (one per thread, see {@link #newErrnoSegment(Arena)}).
 */
public final class Posix
{
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_NONBLOCK}. */
    public static final int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code CLONE_NEWNET}: the network namespace type for {@link #setns}. */
    public static final int CLONE_NEWNET = 0x40000000;
    /** {@code EAGAIN}. */
    public static final int EAGAIN = 11;
    /** {@code EINTR}. */
    public static final int EINTR = 4;
    /** {@code MSG_DONTWAIT}. */
    public static final int MSG_DONTWAIT = 0x40;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = downcall("open",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle IOCTL_PTR = downcall("ioctl",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle IOCTL_LONG = downcall("ioctl",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG));
    private static final MethodHandle READ = downcall("read",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITEV = downcall("writev",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT_INT = downcall("setsockopt",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDMMSG = downcall("sendmmsg",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle POLL = downcall("poll",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT));
    private static final MethodHandle EVENTFD = downcall("eventfd",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SOCKET = downcall("socket",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SETNS = downcall("setns",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle STRERROR = downcallWithoutErrno("strerror",
        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle GETEUID = downcallWithoutErrno("geteuid",
        FunctionDescriptor.of(ValueLayout.JAVA_INT));

    private Posix()
    {
    }

    // Calling libc is what this class is for; the daemon's JVM allows native access
    // (--enable-native-access in jvm.options).
    @SuppressWarnings("restricted")
    private static MethodHandle downcall(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, CAPTURE_ERRNO);
    }

    // As downcall, for the calls that do not set errno.
    @SuppressWarnings("restricted")
    private static MethodHandle downcallWithoutErrno(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    /**
     * A segment to capture {@code errno} into; one per calling thread.
     *
     * @param arena the arena that owns it.
     * @return the segment.
     */
    public static MemorySegment newErrnoSegment(final Arena arena)
    {
        return arena.allocate(CAPTURE);
    }

    /**
     * The {@code errno} the last call captured.
     *
     * @param errnoSegment the capture segment.
     * @return errno.
     */
    public static int errno(final MemorySegment errnoSegment)
    {
        return (int)ERRNO.get(errnoSegment, 0L);
    }

    /**
     * {@code strerror(errno)}.
     *
     * @param errno the error number.
     * @return the message.
     */
    @SuppressWarnings("restricted")
    public static String strerror(final int errno)
    {
        try
        {
            // strerror returns a zero-length segment; its messages are short NUL-terminated strings, which
            // getString reads up to the NUL within the 256 bytes made readable here.
            return ((MemorySegment)STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
        }
        catch (final Throwable t)
        {
            return "errno " + errno;
        }
    }

    /**
     * The effective user id.
     *
     * @return euid.
     */
    public static int geteuid()
    {
        try
        {
            return (int)GETEUID.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code open(path, flags)}.
     *
     * @param errno capture segment.
     * @param path  path.
     * @param flags flags.
     * @return the fd or -1.
     */
    public static int open(final MemorySegment errno, final String path, final int flags)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return (int)OPEN.invokeExact(errno, arena.allocateFrom(path), flags);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code setns(fd, nstype)}: moves the calling thread into the namespace {@code fd} refers to.
     *
     * @param errno  capture segment.
     * @param fd     a namespace file's descriptor.
     * @param nstype the namespace type ({@link #CLONE_NEWNET}), or 0 for any.
     * @return 0 or -1.
     */
    public static int setns(final MemorySegment errno, final int fd, final int nstype)
    {
        try
        {
            return (int)SETNS.invokeExact(errno, fd, nstype);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code ioctl(fd, request, pointer)}.
     *
     * @param errno   capture segment.
     * @param fd      fd.
     * @param request request.
     * @param arg     argument memory.
     * @return the result or -1.
     */
    public static int ioctl(final MemorySegment errno, final int fd, final long request, final MemorySegment arg)
    {
        try
        {
            return (int)IOCTL_PTR.invokeExact(errno, fd, request, arg);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code ioctl(fd, request, value)} with an integer argument.
     *
     * @param errno   capture segment.
     * @param fd      fd.
     * @param request request.
     * @param value   argument.
     * @return the result or -1.
     */
    public static int ioctl(final MemorySegment errno, final int fd, final long request, final long value)
    {
        try
        {
            return (int)IOCTL_LONG.invokeExact(errno, fd, request, value);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code read(fd, address, length)}.
     *
     * @param errno   capture segment.
     * @param fd      fd.
     * @param address buffer address.
     * @param length  bytes.
     * @return bytes read or -1.
     */
    public static long read(final MemorySegment errno, final int fd, final long address, final long length)
    {
        try
        {
            return (long)READ.invokeExact(errno, fd, address, length);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code write(fd, address, length)}.
     *
     * @param errno   capture segment.
     * @param fd      fd.
     * @param address buffer address.
     * @param length  bytes.
     * @return bytes written or -1.
     */
    public static long write(final MemorySegment errno, final int fd, final long address, final long length)
    {
        try
        {
            return (long)WRITE.invokeExact(errno, fd, address, length);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code writev(fd, iov, count)}: one packet on a TAP from several pieces (a segment's headers and its payload).
     *
     * @param errno capture segment.
     * @param fd    fd.
     * @param iov   address of {@code struct iovec[count]}.
     * @param count entries.
     * @return bytes written or -1.
     */
    public static long writev(final MemorySegment errno, final int fd, final long iov, final int count)
    {
        try
        {
            return (long)WRITEV.invokeExact(errno, fd, iov, count);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code sendmmsg(fd, vector, count, flags)}.
     *
     * @param errno  capture segment.
     * @param fd     socket.
     * @param vector address of {@code struct mmsghdr[count]}.
     * @param count  messages.
     * @param flags  flags.
     * @return messages sent or -1.
     */
    public static int sendmmsg(final MemorySegment errno, final int fd, final long vector, final int count,
        final int flags)
    {
        try
        {
            return (int)SENDMMSG.invokeExact(errno, fd, vector, count, flags);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code poll(fds, nfds, timeout)}.
     *
     * @param errno     errno capture segment.
     * @param fds       address of {@code struct pollfd[nfds]} (8 bytes each: fd, events, revents).
     * @param nfds      entries.
     * @param timeoutMs longest wait in milliseconds.
     * @return ready entries, 0 on timeout, or -1.
     */
    public static int poll(final MemorySegment errno, final long fds, final long nfds, final int timeoutMs)
    {
        try
        {
            return (int)POLL.invokeExact(errno, fds, nfds, timeoutMs);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code eventfd(initval, flags)}.
     *
     * @param errno   errno capture segment.
     * @param initval initial counter.
     * @param flags   {@code EFD_NONBLOCK} 0x800, {@code EFD_CLOEXEC} 0x80000.
     * @return the fd or -1.
     */
    public static int eventfd(final MemorySegment errno, final int initval, final int flags)
    {
        try
        {
            return (int)EVENTFD.invokeExact(errno, initval, flags);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code socket(domain, type, protocol)}.
     *
     * @param errno    errno capture segment.
     * @param domain   address family ({@code AF_INET} 2).
     * @param type     socket type and flags ({@code SOCK_RAW} 3, {@code SOCK_CLOEXEC} 0x80000).
     * @param protocol protocol ({@code IPPROTO_RAW} 255).
     * @return the fd or -1.
     */
    public static int socket(final MemorySegment errno, final int domain, final int type, final int protocol)
    {
        try
        {
            return (int)SOCKET.invokeExact(errno, domain, type, protocol);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code setsockopt(fd, level, name, &value, sizeof(int))}.
     *
     * @param fd    socket.
     * @param level option level.
     * @param name  option name.
     * @param value the int value.
     * @return 0 or the errno of the failure.
     */
    public static int setsockopt(final int fd, final int level, final int name, final int value)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment errno = newErrnoSegment(arena);
            final int rc = (int)SETSOCKOPT_INT.invokeExact(errno, fd, level, name,
                arena.allocateFrom(ValueLayout.JAVA_INT, value), 4);
            return rc == 0 ? 0 : errno(errno);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code close(fd)}.
     *
     * @param fd fd.
     */
    public static void close(final int fd)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final int ignored = (int)CLOSE.invokeExact(newErrnoSegment(arena), fd);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }
}
