using SeqRec.Benchmarks;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Benchmarks;

/// <summary>Reads the whole process's heap, so it runs while no other test allocates.</summary>
[Collection(ProcessMemoryTests.Name)]
public class NativeHeapTests
{
    private const long Mb = 1L << 20;

    [Fact]
    public void Glibc_counts_a_tensor_while_it_lives()
    {
        var before = NativeHeap.Read();
        Assert.NotNull(before);
        using (var block = ones(64 * Mb / 4))
        {
            var during = NativeHeap.Read()!.Value;
            var used = during.InUseBytes + during.MappedBytes - before.Value.InUseBytes - before.Value.MappedBytes;
            Assert.InRange(used, 64 * Mb, 80 * Mb);
            Assert.True(during.HeldBytes >= during.InUseBytes);
        }
    }

    [Fact]
    public void The_limit_trims_only_once_the_process_has_doubled_and_passed_a_gigabyte()
    {
        var resident = 600 * Mb;
        var trims = 0;
        var limit = new NativeHeapLimit(() => resident, () => { trims++; return true; });

        Assert.False(limit.TrimIfGrown()); // the baseline: 600 MB
        resident = 1100 * Mb;
        Assert.False(limit.TrimIfGrown());
        resident = 1300 * Mb;
        Assert.True(limit.TrimIfGrown());
        Assert.Equal(1, trims);

        var unset = new NativeHeapLimit(() => resident, () => { trims++; return true; });
        Assert.False(unset.TrimIfGrownSinceBaseline()); // no baseline yet: a batch's check neither trims nor sets one
        resident = 600 * Mb;
        Assert.False(unset.TrimIfGrown()); // the baseline, at the first epoch's end
        resident = 1300 * Mb;
        Assert.True(unset.TrimIfGrownSinceBaseline());
        Assert.Equal(2, trims);

        var small = new NativeHeapLimit(() => resident, () => { trims++; return true; });
        resident = 300 * Mb;
        small.TrimIfGrown();
        resident = 900 * Mb; // tripled, but under a gigabyte
        Assert.False(small.TrimIfGrown());
        Assert.Equal(2, trims);
    }
}
