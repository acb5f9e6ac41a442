using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// A computation over a batch whose rows are independent, run a block of rows at a time as one autograd node that
/// keeps only its inputs for backward; backward recomputes each block with gradients on and differentiates it there.
/// </summary>
/// <remarks>
/// What it saves: every intermediate of the computation lives only for one block, and every input of batch size gets
/// one gradient tensor. Plain autograd kept the intermediates for backward, and where a computation reads its input
/// several times it made one input-sized gradient per read and summed them (at batch 2048, L = 400 each is 210 MB,
/// freshly mapped and page-faulted). The price is running the computation once more in backward.
/// <para>
/// <c>blocked</c> inputs have the batch as their first axis and are cut into blocks; <c>shared</c> inputs are used
/// whole by every block (weights, or anything computed once for the batch). Inputs that do not require a gradient
/// (indices, dropout masks) get none. Parameters may be used through their module instead of the shared list, but must
/// be in the list: only inputs of the node get gradients. The function must compute a block's rows from
/// that block's inputs alone and draw nothing at random (pass dropout masks in as blocked inputs): backward runs it
/// again and must get the same values. Gradients equal plain autograd's up to float summation order (shared gradients are summed block by block).
/// </para>
/// </remarks>
internal sealed class BlockRecomputation : ScopedFunction<BlockRecomputation>
{
    /// <summary>Computes one block's output rows from the block's slice of the blocked inputs and the shared inputs.</summary>
    public delegate Tensor BlockFunction(IReadOnlyList<Tensor> blocked, IReadOnlyList<Tensor> shared);

    private sealed record Plan(BlockFunction Function, int Blocked, bool[] NeedsGradient, long RowsPerBlock);

    public override string Name => nameof(BlockRecomputation);

    public static Tensor Apply(BlockFunction function, Tensor[] blocked, Tensor[] shared, long rowsPerBlock)
    {
        if (blocked.Length == 0) throw new ArgumentException("at least one blocked input is needed", nameof(blocked));
        var rows = blocked[0].shape[0];
        if (blocked.Any(t => t.shape.Length == 0 || t.shape[0] != rows))
            throw new ArgumentException($"every blocked input must have {rows} rows on its first axis", nameof(blocked));
        Tensor[] inputs = [.. blocked, .. shared];
        var plan = new Plan(function, blocked.Length, [.. inputs.Select(t => t.requires_grad)], Math.Max(1, rowsPerBlock));
        return apply([.. inputs, plan]);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var plan = (Plan)vars[^1];
        var inputs = vars[..^1].Cast<Tensor>().ToArray();
        ctx.save_for_backward([.. inputs]);
        ctx.save_data("plan", plan);
        var (blocked, shared) = (inputs[..plan.Blocked], inputs[plan.Blocked..]);
        var rows = blocked[0].shape[0];
        if (rows == 0) return plan.Function(blocked, shared);

        Tensor? output = null;
        foreach (var (start, count) in RowBlocks.Of(rows, plan.RowsPerBlock))
        {
            using var scope = NewDisposeScope();
            var block = plan.Function([.. blocked.Select(t => t.narrow(0, start, count))], shared);
            output ??= empty([rows, .. block.shape[1..]], block.dtype, block.device).MoveToOuterDisposeScope();
            output.narrow(0, start, count).copy_(block);
        }
        return output!;
    }

    protected override Tensor?[] Backward(autograd.AutogradContext ctx, Tensor gradOutput, IReadOnlyList<Tensor> saved)
    {
        var plan = (Plan)ctx.get_data("plan");
        var rows = saved[0].shape[0];
        var needs = plan.NeedsGradient;
        var grads = saved.Select((t, i) => !needs[i] ? null : i < plan.Blocked ? empty_like(t) : zeros_like(t)).ToArray();

        foreach (var (start, count) in RowBlocks.Of(rows, plan.RowsPerBlock))
        {
            using var blockScope = NewDisposeScope();
            using var gradMode = enable_grad();
            var leaves = saved.Select((t, i) =>
            {
                if (i < plan.Blocked) t = t.narrow(0, start, count);
                // A leaf (a parameter) is differentiated as it is, so the function may also reach it through its module.
                return needs[i] && !t.is_leaf ? t.detach().requires_grad_() : t;
            }).ToArray();
            var block = plan.Function(leaves[..plan.Blocked], leaves[plan.Blocked..]);
            var differentiated = Enumerable.Range(0, leaves.Length).Where(i => needs[i]).ToArray();
            var blockGrads = autograd.grad([block], [.. differentiated.Select(i => leaves[i])],
                [gradOutput.narrow(0, start, count)], allow_unused: true);
            for (var j = 0; j < differentiated.Length; j++)
            {
                var i = differentiated[j];
                var blockGrad = blockGrads[j];
                var unused = blockGrad is null || blockGrad.IsInvalid;
                if (i < plan.Blocked)
                {
                    var slice = grads[i]!.narrow(0, start, count);
                    if (unused) slice.zero_(); else slice.copy_(blockGrad!);
                }
                else if (!unused) grads[i]!.add_(blockGrad!);
            }
        }
        return [.. grads, null];
    }
}
