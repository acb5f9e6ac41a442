using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// <c>dense_2(act(dense_1(x)))</c> as one autograd node that keeps only its input for backward and recomputes the
/// inner activations there, a block of rows at a time.
/// </summary>
/// <remarks>
/// Plain autograd keeps act's input and output, two [rows, inner] tensors (1.7 GB per layer at batch 2048, L = 400,
/// inner 256), and backward briefly holds two more gradients of that size. Here forward and backward touch at most
/// one block of rows at a time; the price is running dense_1 and act once more. Gradients equal
/// plain autograd's up to float summation order (the weight gradients are summed block by block).
/// </remarks>
internal sealed class RecomputedFeedForward : autograd.SingleTensorFunction<RecomputedFeedForward>
{
    /// <summary>
    /// Rows per block: 16 Ki rows is 16 MiB of inner activations at inner size 256. Small on purpose: blocks live on
    /// the heap (below the allocator's mmap threshold), and the heap keeps its high-water mark for the whole run.
    /// </summary>
    internal const long DefaultBlockRows = 16384;

    public override string Name => nameof(RecomputedFeedForward);

    public static Tensor Apply(Tensor input, Tensor weight1, Tensor bias1, Tensor weight2, Tensor bias2, Activation activation,
        long blockRows = DefaultBlockRows) =>
        apply(input, weight1, bias1, weight2, bias2, activation, Math.Max(1, blockRows));

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (input, weight1, bias1, weight2, bias2) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3], (Tensor)vars[4]);
        var (activation, blockRows) = ((Activation)vars[5], (long)vars[6]);
        ctx.save_for_backward([input, weight1, bias1, weight2, bias2]);
        ctx.save_data("activation", activation);
        ctx.save_data("blockRows", blockRows);

        var shape = input.shape.ToArray();
        shape[^1] = weight2.shape[0];
        // Not a view: autograd forbids in-place changes (the caller's residual add) to a view made inside a Function.
        var output = empty(shape, input.dtype, input.device);
        var rows = input.reshape(-1, input.shape[^1]);
        using var outputRows = output.view(-1, shape[^1]);
        foreach (var (start, count) in Blocks(rows.shape[0], blockRows))
        {
            using var scope = NewDisposeScope();
            var block = rows.narrow(0, start, count);
            var inner = Activations.Apply(activation, nn.functional.linear(block, weight1, bias1));
            outputRows.narrow(0, start, count).copy_(nn.functional.linear(inner, weight2, bias2));
        }
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        // TorchSharp hands backward its own references to the saved input and the incoming gradient; left to the
        // step's dispose scope they would keep two [rows, d] tensors alive through the rest of backward.
        using var scope = NewDisposeScope();
        using var incoming = gradOutput;
        var saved = ctx.get_saved_variables();
        var (input, weight1, bias1, weight2, bias2) = (saved[0], saved[1], saved[2], saved[3], saved[4]);
        var (activation, blockRows) = ((Activation)ctx.get_data("activation"), (long)ctx.get_data("blockRows"));

        var rows = input.reshape(-1, input.shape[^1]);
        var gradRows = gradOutput.reshape(-1, gradOutput.shape[^1]);
        var gradInput = empty_like(input);
        using var gradInputRows = gradInput.view(rows.shape);
        var (gradWeight1, gradBias1) = (zeros_like(weight1), zeros_like(bias1));
        var (gradWeight2, gradBias2) = (zeros_like(weight2), zeros_like(bias2));
        foreach (var (start, count) in Blocks(rows.shape[0], blockRows))
        {
            using var blockScope = NewDisposeScope();
            var block = rows.narrow(0, start, count);
            var gradBlock = gradRows.narrow(0, start, count);
            var preActivation = nn.functional.linear(block, weight1, bias1);
            var (inner, gradPreActivation) = ActivationWithGradient(activation, preActivation, gradBlock.matmul(weight2));
            gradWeight2.addmm_(gradBlock.t(), inner);
            gradBias2.add_(gradBlock.sum(0L));
            gradWeight1.addmm_(gradPreActivation.t(), block);
            gradBias1.add_(gradPreActivation.sum(0L));
            gradInputRows.narrow(0, start, count).copy_(gradPreActivation.matmul(weight1));
        }
        // The returned tensors must outlive this call: libtorch takes its references after backward returns.
        return [gradInput.MoveToOuterDisposeScope(), gradWeight1.MoveToOuterDisposeScope(), gradBias1.MoveToOuterDisposeScope(),
            gradWeight2.MoveToOuterDisposeScope(), gradBias2.MoveToOuterDisposeScope(), null!, null!];
    }

    /// <summary>act(x) and the gradient reaching x when <paramref name="gradOutput"/> reaches act(x), via libtorch's own backward kernels.</summary>
    private static (Tensor Output, Tensor GradInput) ActivationWithGradient(Activation activation, Tensor x, Tensor gradOutput)
    {
        using var gradMode = enable_grad();
        var leaf = x.detach().requires_grad_();
        var output = Activations.Apply(activation, leaf);
        var gradInput = autograd.grad([output], [leaf], [gradOutput])[0];
        return (output.detach(), gradInput);
    }

    private static IEnumerable<(long Start, long Count)> Blocks(long rows, long blockRows)
    {
        for (long start = 0; start < rows; start += blockRows) yield return (start, Math.Min(blockRows, rows - start));
    }
}
