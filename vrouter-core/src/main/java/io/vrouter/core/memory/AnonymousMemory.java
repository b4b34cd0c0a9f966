package io.vrouter.core.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Anonymous memory from {@code mmap}, advised for transparent huge pages ({@code madvise(MADV_HUGEPAGE)}):
 * zero-filled lazily (untouched pages cost nothing) and, on a machine with THP in madvise mode, mapped
 * with 2 MiB pages, which removes most TLB misses of a big randomly accessed table, or of a batch's
 * frames, which every graph node walks in turn. Linux x86-64/aarch64.
 */
public final class AnonymousMemory
{
    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MADV_HUGEPAGE = 14;

    /** Size of a transparent huge page on x86-64 and aarch64 with 4 KiB base pages. */
    public static final long HUGE_PAGE = 2L * 1024 * 1024;

    private static final MethodHandle MMAP;
    private static final MethodHandle MADVISE;
    private static final MethodHandle MUNMAP;

    static
    {
        MethodHandle mmap = null;
        MethodHandle madvise = null;
        MethodHandle munmap = null;
        try
        {
            mmap = downcall("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG));
            madvise = downcall("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            munmap = downcall("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG));
        }
        catch (final RuntimeException | LinkageError e)
        {
            mmap = null;
        }
        MMAP = mmap;
        MADVISE = madvise;
        MUNMAP = munmap;
    }

    private AnonymousMemory()
    {
    }

    // Calling libc is what this class is for; the JVMs that run it allow native access
    // (--enable-native-access in jvm.options).
    @SuppressWarnings("restricted")
    private static MethodHandle downcall(final String name, final FunctionDescriptor descriptor)
    {
        final Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    /**
     * Whether mmap/madvise were found.
     *
     * @return true on Linux with the native linker.
     */
    public static boolean available()
    {
        return MMAP != null;
    }

    /**
     * Maps anonymous memory.
     *
     * @param size  bytes.
     * @param arena arena whose closing (or, for an automatic arena, collection) unmaps it.
     * @return the segment, or null if mmap is not available here (the caller falls back).
     */
    @SuppressWarnings("restricted")
    public static MemorySegment map(final long size, final Arena arena)
    {
        if (MMAP == null)
        {
            return null;
        }
        try
        {
            final MemorySegment addr = (MemorySegment)MMAP.invokeExact(MemorySegment.NULL, size,
                PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
            if (addr.address() == -1L || addr.address() == 0L)
            {
                return null;
            }
            final int advised = (int)MADVISE.invokeExact(addr, size, MADV_HUGEPAGE);
            if (advised != 0)
            {
                // Without THP the memory is still correct, only slower on big tables.
                assert true;
            }
            final long address = addr.address();
            // Restricted, and safe here: the size is the one mmap has just mapped at this address.
            return addr.reinterpret(size, arena, segment -> unmap(address, size));
        }
        catch (final Throwable e)
        {
            return null;
        }
    }

    /**
     * Maps anonymous memory starting on a huge-page boundary, so that the kernel can back it with huge
     * pages from its first byte (a mapping is only page aligned; this maps a huge page more and uses the
     * aligned part).
     *
     * @param size  bytes.
     * @param arena arena whose closing (or, for an automatic arena, collection) unmaps it.
     * @return the segment, {@value #HUGE_PAGE}-byte aligned, or null if mmap is not available here.
     */
    public static MemorySegment mapHugeAligned(final long size, final Arena arena)
    {
        final MemorySegment whole = map(size + HUGE_PAGE, arena);
        if (whole == null)
        {
            return null;
        }
        final long skip = -whole.address() & (HUGE_PAGE - 1);
        return whole.asSlice(skip, size);
    }

    private static void unmap(final long address, final long size)
    {
        try
        {
            final int ignored = (int)MUNMAP.invokeExact(MemorySegment.ofAddress(address), size);
            if (ignored != 0)
            {
                assert true;
            }
        }
        catch (final Throwable e)
        {
            throw new IllegalStateException("munmap failed", e);
        }
    }
}
