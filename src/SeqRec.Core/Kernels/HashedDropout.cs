using TorchSharp;
using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// Dropout with the usual semantics (in training, each element is kept with probability 1 - p and scaled by
/// 1 / (1 - p); in evaluation, the identity), but much cheaper than libtorch's on the CPU. libtorch draws a Bernoulli
/// sample per element (measured: 680 ms for one [2048, 50, 256] tensor, more than half of a SASRec forward pass at
/// batch 2048) and applies it with masked_fill, whose CPU kernel alone cost 30 ms on [2048, 50, 64]. Here the keep
/// mask (one byte, 1 = keep) comes from a counter-based hash evaluated eight lanes at a time and is applied in the same
/// pass (<see cref="DropoutKernels"/>); backward keeps only the byte mask.
/// </summary>
/// <remarks>
/// Reproducibility is kept: each call seeds its stream with one draw from torch's global generator, so
/// <c>torch.manual_seed</c> and the RNG state saved for <c>--resume</c> determine every mask, as with nn.Dropout. The
/// masks differ from libtorch's own, which only matters for bit-identical comparisons with another framework's training.
/// </remarks>
internal sealed class HashedDropout : nn.Module<Tensor, Tensor>, Modeling.ISelectsKernels
{
    private readonly double _p;

    public HashedDropout(double p) : base(nameof(HashedDropout))
    {
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        _p = p;
    }

    /// <summary>Plain: libtorch's own dropout (its generator, its masks), for any device and dtype.</summary>
    public Modeling.KernelChoice Kernels { get; set; }

    public override Tensor forward(Tensor input) => Drop(input, inPlace: false);

    /// <summary>
    /// Dropout that overwrites <paramref name="input"/> (in training) instead of allocating a tensor of its size. For
    /// fresh tensors whose values no other autograd node saved, such as a linear layer's output; autograd raises an
    /// error in backward if one did.
    /// </summary>
    public Tensor ApplyInPlace(Tensor input) => Drop(input, inPlace: true);

    private Tensor Drop(Tensor input, bool inPlace)
    {
        if (!training || _p == 0) return input.alias();
        if (Kernels == Modeling.KernelChoice.Plain) return nn.functional.dropout(input, _p, training: true);
        if (_p == 1) return zeros_like(input);
        var seed = NextSeed();
        if (input.device.type != DeviceType.CPU || input.dtype != ScalarType.Float32)
        {
            Tensor keep;
            using (no_grad()) keep = KeepMask(input.shape, input.device, seed);
            using (keep) return input.mul(keep).mul_(1.0 / (1.0 - _p));
        }
        var contiguous = input.is_contiguous();
        using var source = contiguous ? input.alias() : input.contiguous();
        return DropoutFunction.Apply(source, seed, DropBelow, (float)(1.0 / (1.0 - _p)), inPlace && contiguous);
    }

    /// <summary>
    /// The mask and scale this dropout would apply now to a tensor of <paramref name="shape"/> (null: the identity), for
    /// code that applies them itself, e.g. to recompute the same dropout in backward. Draws from torch's generator
    /// exactly as <c>call</c> would.
    /// </summary>
    public (Tensor Keep, double Scale)? DrawMask(long[] shape, Device device)
    {
        if (!training || _p == 0) return null;
        if (_p == 1) return (zeros(shape, ScalarType.Byte, device), 0.0);
        return (KeepMask(shape, device), 1.0 / (1.0 - _p));
    }

    /// <summary>
    /// The mask this dropout would apply now, as a stream for kernels that fuse dropout into other work (null: the
    /// identity). Draws from torch's generator exactly as <c>call</c> would, and gives the same
    /// mask for the same elements.
    /// </summary>
    internal DropoutDraw? NextDraw()
    {
        if (!training || _p == 0) return null;
        return new DropoutDraw(NextSeed(), DropBelow, _p == 1 ? 0f : (float)(1.0 / (1.0 - _p)));
    }

    /// <summary>A uint8 tensor, 1 where an element is kept and 0 where it is dropped, drawn from a stream seeded by torch's generator.</summary>
    public Tensor KeepMask(long[] shape, Device device) => KeepMask(shape, device, NextSeed());

    private Tensor KeepMask(long[] shape, Device device, ulong seed)
    {
        var mask = empty(shape, ScalarType.Byte);
        DropoutKernels.FillMask(mask, seed, DropBelow);
        if (device.type == DeviceType.CPU) return mask;
        using (mask) return mask.to(device);
    }

    private uint DropBelow => (uint)Math.Min(uint.MaxValue, Math.Round(_p * 4294967296.0));

    private static ulong NextSeed() => (ulong)randint(long.MinValue, long.MaxValue, [1], ScalarType.Int64).item<long>();
}
