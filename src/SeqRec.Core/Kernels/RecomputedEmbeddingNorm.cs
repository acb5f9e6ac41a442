using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// <c>LayerNorm(item_emb[itemSeq] + positions)</c> (positions optional) as one autograd node that keeps only the item
/// ids for backward, not the looked-up embeddings: backward looks them up again, a block of sequences at a time, and
/// adds each row's gradient into the embedding's (the padding row gets none, as with <c>padding_idx</c>).
/// </summary>
/// <remarks>
/// Plain autograd keeps the looked-up [B, L, d] tensor for the LayerNorm's backward (210 MB at batch 2048, L = 400,
/// d = 64) and allocates it and its gradient whole. Here nothing of that size exists but the output and its gradient.
/// </remarks>
internal sealed class RecomputedEmbeddingNorm : ScopedFunction<RecomputedEmbeddingNorm>
{
    /// <summary>Rows (sequence positions) per block, as many whole sequences as fit.</summary>
    internal const long DefaultBlockRows = 16384;

    public override string Name => nameof(RecomputedEmbeddingNorm);

    /// <param name="itemSeq">Item ids [B, L] (int64).</param>
    /// <param name="itemWeight">The item embedding matrix [n_items, d].</param>
    /// <param name="positions">Position embeddings [L, d] added to every sequence, or null.</param>
    public static Tensor Apply(Tensor itemSeq, Tensor itemWeight, Tensor? positions, Tensor normWeight, Tensor normBias,
        double layerNormEps, long blockRows = DefaultBlockRows)
    {
        using var none = empty(0);
        var sequencesPerBlock = Math.Max(1, blockRows / Math.Max(1, itemSeq.shape[1]));
        return apply(itemSeq, itemWeight, positions ?? none, normWeight, normBias,
            new Settings(positions is not null, layerNormEps, sequencesPerBlock));
    }

    private sealed record Settings(bool HasPositions, double LayerNormEps, long SequencesPerBlock);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var tensors = vars.Take(5).Cast<Tensor>().ToArray();
        var settings = (Settings)vars[5];
        ctx.save_for_backward([.. tensors]);
        ctx.save_data("settings", settings);

        var (itemSeq, itemWeight) = (tensors[0], tensors[1]);
        var output = empty(itemSeq.shape[0], itemSeq.shape[1], itemWeight.shape[1], itemWeight.dtype, itemWeight.device);
        foreach (var (start, count) in RowBlocks.Of(itemSeq.shape[0], settings.SequencesPerBlock))
        {
            using var scope = NewDisposeScope();
            var rows = itemWeight.index_select(0, itemSeq.narrow(0, start, count).flatten()).view(count, itemSeq.shape[1], -1);
            output.narrow(0, start, count).copy_(Normalized(rows, tensors[2], tensors[3], tensors[4], settings));
        }
        return output;
    }

    protected override Tensor?[] Backward(autograd.AutogradContext ctx, Tensor gradOutput, IReadOnlyList<Tensor> saved)
    {
        var settings = (Settings)ctx.get_data("settings");
        var (itemSeq, itemWeight) = (saved[0], saved[1].detach());
        var hidden = itemWeight.shape[1];
        var gradWeight = zeros_like(itemWeight);
        var gradPositions = settings.HasPositions ? zeros_like(saved[2]) : null;
        var (gradNormWeight, gradNormBias) = (zeros_like(saved[3]), zeros_like(saved[4]));
        foreach (var (start, count) in RowBlocks.Of(itemSeq.shape[0], settings.SequencesPerBlock))
        {
            using var blockScope = NewDisposeScope();
            using var gradMode = enable_grad();
            var ids = itemSeq.narrow(0, start, count).flatten();
            var rows = itemWeight.index_select(0, ids).view(count, itemSeq.shape[1], hidden).requires_grad_();
            var positions = settings.HasPositions ? saved[2].detach().requires_grad_() : saved[2];
            var (normWeight, normBias) = (saved[3].detach().requires_grad_(), saved[4].detach().requires_grad_());
            var block = Normalized(rows, positions, normWeight, normBias, settings);
            Tensor[] leaves = settings.HasPositions ? [rows, positions, normWeight, normBias] : [rows, normWeight, normBias];
            var grads = autograd.grad([block], leaves, [gradOutput.narrow(0, start, count)]);
            gradWeight.index_add_(0, ids, grads[0].view(-1, hidden), 1);
            if (gradPositions is not null) gradPositions.add_(grads[1]);
            gradNormWeight.add_(grads[^2]);
            gradNormBias.add_(grads[^1]);
        }
        gradWeight[Modeling.SequentialRecommender.PaddingId].zero_();
        return [null, gradWeight, gradPositions, gradNormWeight, gradNormBias, null];
    }

    private static Tensor Normalized(Tensor rows, Tensor positions, Tensor normWeight, Tensor normBias, Settings settings)
    {
        var summed = settings.HasPositions ? rows.add(positions) : rows;
        return nn.functional.layer_norm(summed, [rows.shape[^1]], normWeight, normBias, settings.LayerNormEps);
    }
}
