using System.Runtime.InteropServices;

namespace SeqRec.Benchmarks;

/// <summary>
/// glibc's own account of the native heap, where libtorch's tensors live (<c>mallinfo2</c>, glibc 2.33 and later):
/// how much heap the allocator holds and how much of it is in use. Their difference is memory freed but kept, which
/// is what a fragmented heap adds to the resident set.
/// </summary>
public static partial class NativeHeap
{
    /// <summary>The figures now, or null where they cannot be read (not glibc, or glibc older than 2.33).</summary>
    public static NativeHeapFigures? Read()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var info = mallinfo2();
            return new NativeHeapFigures(HeldBytes: (long)info.arena, InUseBytes: (long)info.uordblks, MappedBytes: (long)info.hblkhd);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc.so.6")]
    private static partial MallInfo2 mallinfo2();

    /// <summary>
    /// Hands the heap's free pages back to the kernel (<c>malloc_trim(0)</c>: the free top and every free page between
    /// live blocks); the address space stays, and touching a page again costs one fresh page fault. Without glibc, nothing.
    /// </summary>
    /// <returns>Whether glibc released any memory.</returns>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return malloc_trim(0) != 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc.so.6")]
    private static partial int malloc_trim(nuint pad);

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }
}

/// <param name="HeldBytes">Heap the allocator has taken from the kernel (all arenas, without separately mapped blocks).</param>
/// <param name="InUseBytes">Of it, bytes in allocated blocks.</param>
/// <param name="MappedBytes">Blocks mapped on their own (at or above the mmap threshold), all in use.</param>
public readonly record struct NativeHeapFigures(long HeldBytes, long InUseBytes, long MappedBytes)
{
    public long FreeHeldBytes => HeldBytes - InUseBytes;
}
