using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// The whole feed-forward sublayer, <c>LayerNorm(x + dropout(dense_2(act(dense_1(x)))))</c>, as one autograd node that
/// keeps only its input and the dropout's byte mask for backward and recomputes everything else there, a block of rows
/// at a time.
/// </summary>
/// <remarks>
/// Plain autograd keeps act's input and output, two [rows, inner] tensors (1.7 GB per layer at batch 2048, L = 400,
/// inner 256), plus the LayerNorm's input, and allocates a full-size tensor for each intermediate and each of their
/// gradients (at long sequences each one is freshly mapped and page-faulted). Here forward and backward touch one block
/// of rows at a time, small enough to be reused from the heap; the price is running dense_1, act and dense_2 once more.
/// Backward differentiates the recomputed block with libtorch's own kernels (a nested <c>autograd.grad</c>), so
/// gradients equal plain autograd's up to float summation order (the weight gradients are summed block by block).
/// </remarks>
internal sealed class RecomputedFeedForward : autograd.SingleTensorFunction<RecomputedFeedForward>
{
    /// <summary>
    /// Rows per block: 16 Ki rows is 16 MiB of inner activations at inner size 256. Small on purpose: blocks live on
    /// the heap (below the allocator's mmap threshold), and the heap keeps its high-water mark for the whole run.
    /// </summary>
    internal const long DefaultBlockRows = 16384;

    public override string Name => nameof(RecomputedFeedForward);

    /// <param name="weights">dense_1 weight and bias, dense_2 weight and bias, LayerNorm weight and bias.</param>
    /// <param name="keep">The dropout's byte mask (1 = keep) shaped like <paramref name="input"/>, or null for no dropout.</param>
    /// <param name="keptScale">1 / (1 - p): what kept elements are multiplied by.</param>
    public static Tensor Apply(Tensor input, Tensor[] weights, Activation activation, Tensor? keep, double keptScale,
        double layerNormEps, long blockRows = DefaultBlockRows) =>
        apply(input, weights[0], weights[1], weights[2], weights[3], weights[4], weights[5], keep ?? empty(0, ScalarType.Byte),
            new Settings(activation, keep is not null, keptScale, layerNormEps, Math.Max(1, blockRows)));

    private sealed record Settings(Activation Activation, bool Dropout, double KeptScale, double LayerNormEps, long BlockRows);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var tensors = vars.Take(8).Cast<Tensor>().ToArray();
        var settings = (Settings)vars[8];
        ctx.save_for_backward([.. tensors]);
        ctx.save_data("settings", settings);

        var input = tensors[0];
        var output = empty_like(input);
        var rows = input.reshape(-1, input.shape[^1]);
        using var outputRows = output.view(rows.shape);
        var keepRows = settings.Dropout ? tensors[7].reshape(rows.shape) : null;
        foreach (var (start, count) in RowBlocks.Of(rows.shape[0], settings.BlockRows))
        {
            using var scope = NewDisposeScope();
            var block = Sublayer(rows.narrow(0, start, count), tensors[1..7], keepRows?.narrow(0, start, count), settings);
            outputRows.narrow(0, start, count).copy_(block);
        }
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        ReturnedGradients.ReleaseEarlier();
        // TorchSharp hands backward its own references to the saved tensors and the incoming gradient; left to the
        // step's dispose scope they would keep [rows, d] tensors alive through the rest of backward.
        using var scope = NewDisposeScope();
        using var incoming = gradOutput;
        var saved = ctx.get_saved_variables();
        var settings = (Settings)ctx.get_data("settings");
        var (input, weights) = (saved[0], saved[1..7]);

        var rows = input.reshape(-1, input.shape[^1]);
        var gradRows = gradOutput.reshape(rows.shape);
        var keepRows = settings.Dropout ? saved[7].reshape(rows.shape) : null;
        var gradInput = empty_like(input);
        using var gradInputRows = gradInput.view(rows.shape);
        var gradWeights = weights.Select(w => zeros_like(w)).ToArray();
        foreach (var (start, count) in RowBlocks.Of(rows.shape[0], settings.BlockRows))
        {
            using var blockScope = NewDisposeScope();
            using var gradMode = enable_grad();
            var leaves = new[] { rows.narrow(0, start, count) }.Concat(weights).Select(t => t.detach().requires_grad_()).ToArray();
            var block = Sublayer(leaves[0], leaves[1..], keepRows?.narrow(0, start, count), settings);
            var grads = autograd.grad([block], leaves, [gradRows.narrow(0, start, count)]);
            gradInputRows.narrow(0, start, count).copy_(grads[0]);
            for (var i = 0; i < gradWeights.Length; i++) gradWeights[i].add_(grads[i + 1]);
        }
        return ReturnedGradients.Hand([gradInput, .. gradWeights, null, null]);
    }

    /// <summary>The sublayer on one block of rows, with the dropout given by its mask.</summary>
    private static Tensor Sublayer(Tensor rows, Tensor[] weights, Tensor? keep, Settings settings)
    {
        var inner = Activations.Apply(settings.Activation, nn.functional.linear(rows, weights[0], weights[1]));
        var hidden = nn.functional.linear(inner, weights[2], weights[3]);
        // Dropout as FastDropout computes it (x · keep, then the rescale), so outputs match the module's own path bit for bit.
        if (keep is not null) hidden = hidden.mul(keep).mul_(settings.KeptScale);
        return nn.functional.layer_norm(hidden.add_(rows), [rows.shape[^1]], weights[4], weights[5], settings.LayerNormEps);
    }
}
