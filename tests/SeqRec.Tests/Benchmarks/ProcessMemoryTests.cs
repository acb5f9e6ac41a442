using System.Runtime.InteropServices;
using SeqRec.Benchmarks;
using Xunit;

namespace SeqRec.Tests.Benchmarks;

/// <summary>Reads the whole process's memory, so it runs while no other test allocates.</summary>
[Collection(Name)]
public class ProcessMemoryTests
{
    public const string Name = "process memory";

    [Fact]
    public void Reset_peak_forgets_memory_that_was_freed()
    {
        const int size = 256 << 20;
        var block = Marshal.AllocHGlobal(size); // above malloc's mmap threshold: freeing returns it to the kernel
        try
        {
            for (var offset = 0; offset < size; offset += 4096) Marshal.WriteByte(block, offset, 1);
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
        var peakWithBlock = ProcessMemory.PeakResident(); // the kernel records the peak when the block is unmapped

        Assert.True(ProcessMemory.ResetPeak());

        var peakAfterReset = ProcessMemory.PeakResident();
        Assert.True(peakAfterReset < peakWithBlock - size / 2, $"peak {peakWithBlock} before the reset, {peakAfterReset} after");
    }
}

[CollectionDefinition(ProcessMemoryTests.Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection;
