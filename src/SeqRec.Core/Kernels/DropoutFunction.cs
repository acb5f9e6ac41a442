using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// Dropout as one autograd node over a contiguous CPU float32 tensor: forward draws the byte mask and applies it in one
/// pass, backward applies the saved mask to the gradient in one pass. Only the mask (one byte per element) is kept.
/// </summary>
/// <remarks>
/// In place, the input itself is overwritten (and marked dirty, so autograd still refuses the change if another node
/// saved the input's values for its backward). Callers use it for fresh tensors such as a linear layer's output,
/// which saves only 1 B per element instead of allocating a second tensor of the input's size.
/// </remarks>
internal sealed class DropoutFunction : ScopedFunction<DropoutFunction>
{
    public override string Name => nameof(DropoutFunction);

    public static Tensor Apply(Tensor input, ulong seed, uint dropBelow, float scale, bool inPlace) =>
        apply(input, seed, dropBelow, scale, inPlace);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var (seed, dropBelow, scale, inPlace) = ((ulong)vars[1], (uint)vars[2], (float)vars[3], (bool)vars[4]);
        var mask = empty(input.shape, ScalarType.Byte);
        var output = inPlace ? input : empty_like(input);
        DropoutKernels.DrawAndApply(input, output, mask, seed, dropBelow, scale);
        if (inPlace) ctx.mark_dirty([input]);
        ctx.save_for_backward([mask]);
        ctx.save_data("scale", scale);
        return output;
    }

    protected override Tensor?[] Backward(autograd.AutogradContext ctx, Tensor gradOutput, IReadOnlyList<Tensor> saved)
    {
        var mask = saved[0];
        var gradient = gradOutput.contiguous();
        var gradInput = empty_like(gradient);
        DropoutKernels.Apply(gradient, mask, gradInput, (float)ctx.get_data("scale"));
        return [gradInput, null, null, null, null];
    }
}
