using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// One head's attention probabilities as SASRec trains them, <c>dropout(softmax(q·kᵀ·scale + mask))</c> [B, Lq, L]
/// from queries [B, Lq, dh] and keys [B, L, dh], as one autograd node.
/// </summary>
/// <remarks>
/// Autograd over the separate operators made and kept a [B, Lq, L] tensor per step (scores, probabilities, byte
/// mask, dropped probabilities) and ran a memory-bound pass for each (<see cref="MaskedSoftmaxKernels"/>). Here the
/// scores never leave this node: forward overwrites them with the probabilities, which is all backward keeps besides
/// q and k; the dropout mask is drawn again from its stream (<see cref="DropoutDraw"/>) instead of stored. Same
/// function as the reference up to float rounding, and the same dropout mask as <see cref="HashedDropout"/> would draw.
/// </remarks>
internal sealed class AttentionProbabilities : ScopedFunction<AttentionProbabilities>
{
    public override string Name => nameof(AttentionProbabilities);

    /// <param name="dropout">The attention dropout's mask, or null for none.</param>
    /// <param name="keyBias">The key-padding bias [B, L] (0 visible, -10000 hidden).</param>
    /// <param name="queryPositions">Each query row's position [B, Lq] when the queries are a subset of rows; null when all are.</param>
    /// <param name="causal">Whether a query sees only the keys up to its own position (SASRec) or every key (BERT4Rec).</param>
    public static Tensor Apply(Tensor queries, Tensor keys, Tensor keyBias, Tensor? queryPositions, double scale, DropoutDraw? dropout, bool causal = true)
    {
        using var none = empty(0, ScalarType.Int64);
        return apply(queries, keys, keyBias, queryPositions ?? none, new Settings((float)scale, dropout, causal));
    }

    private sealed record Settings(float Scale, DropoutDraw? Dropout, bool Causal);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (queries, keys, keyBias, positions) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3]);
        var settings = (Settings)vars[4];
        var probs = queries.bmm(keys.transpose(1, 2));
        var dropped = empty_like(probs);
        using var bias = keyBias.contiguous();
        MaskedSoftmaxKernels.Forward(probs, dropped, bias, QueryPositions(positions), settings.Scale, settings.Dropout, settings.Causal);
        ctx.save_for_backward([queries, keys, probs, positions]);
        ctx.save_data("settings", settings);
        return dropped;
    }

    protected override Tensor?[] Backward(autograd.AutogradContext ctx, Tensor gradOutput, IReadOnlyList<Tensor> saved)
    {
        var (queries, keys, probs, positions) = (saved[0], saved[1], saved[2], saved[3]);
        var settings = (Settings)ctx.get_data("settings");
        var gradScores = empty_like(probs);
        MaskedSoftmaxKernels.Backward(gradOutput.contiguous(), probs, gradScores, QueryPositions(positions), settings.Scale, settings.Dropout, settings.Causal);
        var gradQueries = gradScores.bmm(keys);
        var gradKeys = gradScores.transpose(1, 2).bmm(queries);
        return [gradQueries, gradKeys, null, null, null];
    }

    private static Tensor? QueryPositions(Tensor positions) => positions.numel() == 0 ? null : positions;
}
