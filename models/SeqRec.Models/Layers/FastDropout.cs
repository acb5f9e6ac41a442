using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// Dropout with the usual semantics (in training, each element is kept with probability 1 - p and scaled by
/// 1 / (1 - p); in evaluation, the identity), but with a cheaper mask. libtorch's CPU dropout draws a Bernoulli
/// sample per element at about 23 ns each (measured: 680 ms for one [2048, 50, 256] tensor, more than half of a SASRec
/// forward pass at batch 2048); this mask comes from a counter-based SplitMix64 stream filled by parallel native
/// writes, about 20x faster. Backward keeps a one-byte mask per element, as libtorch's own dropout does.
/// </summary>
/// <remarks>
/// Reproducibility is kept: each call seeds its stream with one draw from torch's global generator, so
/// <c>torch.manual_seed</c> and the RNG state saved for <c>--resume</c> determine every mask, as with nn.Dropout. The
/// masks differ from libtorch's own, which only matters for bit-identical comparisons with another framework's training.
/// The keep test uses 32 random bits per element, so p is honoured to within 2^-32.
/// </remarks>
public sealed class FastDropout : nn.Module<Tensor, Tensor>
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private const int ChunkElements = 1 << 16;

    private readonly double _p;

    public FastDropout(double p) : base(nameof(FastDropout))
    {
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        _p = p;
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || _p == 0) return input.alias();
        if (_p == 1) return zeros_like(input);
        Tensor dropped;
        using (no_grad()) dropped = DropMask(input.shape, input.device);
        // masked_fill keeps only the byte mask for backward (a float mask would cost 4 bytes per element).
        return input.masked_fill(dropped, 0).mul_(1.0 / (1.0 - _p));
    }

    /// <summary>A boolean tensor, true where an element is dropped, drawn from a stream seeded by torch's generator.</summary>
    public Tensor DropMask(long[] shape, Device device)
    {
        var seed = (ulong)randint(long.MinValue, long.MaxValue, [1], ScalarType.Int64).item<long>();
        var mask = empty(shape, ScalarType.Bool);
        Fill(mask, seed, (uint)Math.Min(uint.MaxValue, Math.Round(_p * 4294967296.0)));
        return device.type == DeviceType.CPU ? mask : mask.to(device);
    }

    private static unsafe void Fill(Tensor mask, ulong seed, uint dropBelow)
    {
        var count = mask.numel();
        // The address of element 0 (a one-element view keeps the span small even for tensors over 2 GB).
        using var first = mask.view(-1).narrow(0, 0, 1);
        var address = (nint)Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(first.bytes));
        var chunks = (int)((count + ChunkElements - 1) / ChunkElements);
        Parallel.For(0, chunks, chunk =>
        {
            var target = (byte*)address;
            var start = (long)chunk * ChunkElements;
            var end = Math.Min(count, start + ChunkElements);
            // Element pairs (2j, 2j + 1) share one 64-bit draw: mix(seed + (j + 1) * gamma).
            for (var i = start; i < end; i += 2)
            {
                var bits = Mix(seed + ((ulong)(i >> 1) + 1) * Gamma);
                target[i] = (uint)bits < dropBelow ? (byte)1 : (byte)0;
                if (i + 1 < end) target[i + 1] = (uint)(bits >> 32) < dropBelow ? (byte)1 : (byte)0;
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
