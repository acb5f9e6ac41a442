using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Models.Layers;

/// <summary>
/// LightSANs' low-rank attention with the decoupled position term (RecBole's <c>LightMultiHeadAttention</c>).
/// Item term: queries attend to k interests; the softmax runs over the query axis (dim -2), as in the reference.
/// Position term: <c>softmax(pq·pkᵀ / sqrt(dh), dim -2)</c> with pq pre-scaled by (2·dh)^-0.5 (scaled twice, as in the
/// reference), applied to the un-aggregated values. No mask of any kind.
/// </summary>
/// <remarks>
/// Cost: the item term is [B, h, L, k], and queries and keys are never projected row by row: keys enter only through
/// the k key interests, queries only through their scores against them, so both fold into k-row products (see
/// <c>PooledInterests</c> and <c>ItemProbs</c>); per row, only the values are projected, and in <see cref="ForwardAt"/>
/// not even those. The position matrix is [h, L, L] and shared by the batch; it is applied by GEMMs over the heads with
/// blocks of the batch folded into the columns (<see cref="LightContextFunction"/>, which adds the item term in the same
/// pass), so nothing [B, h, L, L] is ever built (a broadcasting matmul of [1, h, L, L] with [B, h, L, dh] would expand
/// and copy the position matrix per row). State-dict names and parameters are the reference's.
/// </remarks>
public sealed class LightMultiHeadAttention : nn.Module<Tensor, Tensor, Tensor>, IRecomputesActivations, ISelectsKernels
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly ItemToInterestAggregation attpooling_key;
    private readonly ItemToInterestAggregation attpooling_value;
    private readonly Linear pos_q_linear;
    private readonly Linear pos_k_linear;
    private readonly LayerNorm pos_ln;
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly HashedDropout attn_dropout;
    private readonly HashedDropout out_dropout;
    private readonly int _heads;
    private readonly double _scoreScale;
    private readonly double _positionQueryScale;

    public LightMultiHeadAttention(TransformerSettings settings, int kInterests) : base(nameof(LightMultiHeadAttention))
    {
        var (nHeads, hiddenSize, hiddenDropoutProb, attnDropoutProb, layerNormEps) =
            (settings.NHeads, settings.HiddenSize, settings.HiddenDropoutProb, settings.AttnDropoutProb, settings.LayerNormEps);
        if (hiddenSize % nHeads != 0)
            throw new ArgumentException($"hidden_size {hiddenSize} is not a multiple of n_heads {nHeads}", nameof(nHeads));
        _heads = nHeads;
        var headSize = hiddenSize / nHeads;
        _scoreScale = Math.Sqrt(headSize);
        _positionQueryScale = Math.Pow(headSize * 2.0, -0.5);
        query = nn.Linear(hiddenSize, hiddenSize);
        key = nn.Linear(hiddenSize, hiddenSize);
        value = nn.Linear(hiddenSize, hiddenSize);
        attpooling_key = new ItemToInterestAggregation(hiddenSize, kInterests);
        attpooling_value = new ItemToInterestAggregation(hiddenSize, kInterests);
        pos_q_linear = nn.Linear(hiddenSize, hiddenSize);
        pos_k_linear = nn.Linear(hiddenSize, hiddenSize);
        pos_ln = nn.LayerNorm(hiddenSize, layerNormEps);
        dense = nn.Linear(hiddenSize, hiddenSize);
        LayerNorm = nn.LayerNorm(hiddenSize, layerNormEps);
        attn_dropout = new HashedDropout(attnDropoutProb);
        out_dropout = new HashedDropout(hiddenDropoutProb);
        RegisterComponents();
    }

    internal ItemToInterestAggregation KeyAggregation => attpooling_key;

    internal ItemToInterestAggregation ValueAggregation => attpooling_value;

    /// <summary><paramref name="input"/> [B, L, d]; <paramref name="positionEmbedding"/> [L, d].</summary>
    public override Tensor forward(Tensor input, Tensor positionEmbedding)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.call(ForwardBeforeNorm(input, positionEmbedding)).MoveToOuterDisposeScope();
    }

    /// <summary>The block's final LayerNorm (state-dict name <c>LayerNorm</c>).</summary>
    internal LayerNorm OutputNorm => LayerNorm;

    /// <summary>
    /// Plain: <see cref="PlainBeforeNorm"/>, and <see cref="ForwardAt"/> gathers rows of the full output. Inputs the
    /// fused kernels cannot read (another device or dtype) take the plain path whatever this says.
    /// </summary>
    public KernelChoice Kernels { get; set; }

    /// <summary>The block without its final LayerNorm (<see cref="OutputNorm"/>), for a next block that applies it itself.</summary>
    public Tensor ForwardBeforeNorm(Tensor input, Tensor positionEmbedding)
    {
        if (Kernels == KernelChoice.Plain || !TensorMemory.FusedPathRuns(input)) return PlainBeforeNorm(input, positionEmbedding);
        using var scope = NewDisposeScope();
        var (mixedValue, valueInterests, keyInterests) = ProjectValuesAndInterests(input);
        var itemProbs = ItemProbs(input, keyInterests);
        var context = LightContextFunction.Apply(PositionProbs(positionEmbedding), mixedValue,
            attn_dropout.call(itemProbs), Heads.Split(valueInterests, _heads)).view(input.shape);
        var hidden = out_dropout.ApplyInPlace(dense.call(context));
        return hidden.add_(input).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same block evaluated only at one position per sequence, <paramref name="rows"/> [B] → [B, 1, d]. Equal to
    /// gathering those rows from <see cref="forward"/>: the softmaxes still run over the whole query axis, but only the
    /// selected rows are multiplied out, so the position term costs [B, h, L] instead of [B, h, L, L]. No row's value is
    /// projected either: both the interests and the position term are weighted sums of values whose weights are known
    /// first, so the sums are taken over the input and projected afterwards (see <see cref="PooledInterests"/>).
    /// </summary>
    /// <remarks>
    /// With <see cref="RecomputeActivations"/> this runs a block of sequences at a time and is recomputed in backward
    /// (<see cref="BlockRecomputation"/>): it reads its input five ways (two linear maps, two weighted sums, the residual
    /// row), and plain autograd makes an input-sized gradient for each before summing them, the largest transient of a
    /// LightSANs step at long sequences.
    /// </remarks>
    public Tensor ForwardAt(Tensor input, Tensor positionEmbedding, Tensor rows)
    {
        using var scope = NewDisposeScope();
        var (batch, hidden) = (input.shape[0], input.shape[2]);
        if (Kernels == KernelChoice.Plain || !TensorMemory.FusedPathRuns(input))
            return forward(input, positionEmbedding).gather(1, rows.view(batch, 1, 1).expand(batch, 1, hidden)).MoveToOuterDisposeScope();
        var positionProbs = PositionProbs(positionEmbedding);
        var itemDropout = attn_dropout.DrawMask([batch, _heads, 1, attpooling_key.Interests], input.device);
        var outputDropout = out_dropout.DrawMask([batch, 1, hidden], input.device);
        if (!RecomputeActivations)
            return RowsOf(input, rows, positionProbs, itemDropout, outputDropout).MoveToOuterDisposeScope();

        // Dropout masks are drawn here, once, and cut into blocks with the input: backward must see the same ones.
        var blocked = new List<Tensor> { input, rows };
        var itemMaskAt = itemDropout is { } item ? Append(blocked, item.Keep) : -1;
        var outputMaskAt = outputDropout is { } output ? Append(blocked, output.Keep) : -1;
        return BlockRecomputation.Apply(
            (block, shared) => RowsOf(block[0], block[1], shared[0],
                itemMaskAt < 0 ? null : (block[itemMaskAt], itemDropout!.Value.Scale),
                outputMaskAt < 0 ? null : (block[outputMaskAt], outputDropout!.Value.Scale)),
            [.. blocked], [positionProbs, .. parameters()], Math.Max(1, RecomputeBlockElements / Math.Max(1, input.shape[1] * hidden)))
            .MoveToOuterDisposeScope();
    }

    /// <summary>Elements of input per recomputed block of sequences (16 MiB of float32); tests lower it to cover several blocks.</summary>
    internal long RecomputeBlockElements { get; set; } = 1 << 22;

    public bool RecomputeActivations { get; set; }

    /// <summary>
    /// The layer as RecBole writes it, before the closing LayerNorm: queries against the k pooled key interests (softmax
    /// over the query axis) applied to the pooled value interests, plus the position attention applied to every value.
    /// </summary>
    private Tensor PlainBeforeNorm(Tensor input, Tensor positionEmbedding)
    {
        using var scope = NewDisposeScope();
        var mixedValue = value.call(input);
        var queryLayer = Heads.Split(query.call(input), _heads);                                      // [B, h, L, dh]
        var keyLayer = Heads.Split(attpooling_key.call(key.call(input)), _heads);                      // [B, h, k, dh]
        var valueLayer = Heads.Split(attpooling_value.call(mixedValue), _heads);                      // [B, h, k, dh]
        var scores = queryLayer.matmul(keyLayer.transpose(-1, -2)).div(_scoreScale);
        var itemContext = attn_dropout.call(scores.softmax(-2)).matmul(valueLayer);                   // [B, h, L, dh]
        var positionContext = PositionProbs(positionEmbedding).matmul(Heads.Split(mixedValue, _heads)); // [B, h, L, dh]
        var hidden = out_dropout.call(dense.call(Heads.Merge(itemContext.add(positionContext))));
        return hidden.add(input).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="ForwardAt"/>'s arithmetic, with the dropout masks given.</summary>
    private Tensor RowsOf(Tensor input, Tensor rows, Tensor positionProbs, (Tensor Keep, double Scale)? itemDropout,
        (Tensor Keep, double Scale)? outputDropout)
    {
        using var scope = NewDisposeScope();
        var (batch, hidden) = (input.shape[0], input.shape[2]);
        var headSize = hidden / _heads;
        var (scoreWeight, scoreBias) = InterestScoreRows();
        var (valueInterests, keyInterests) = PooledInterests(input, nn.functional.linear(input, scoreWeight, scoreBias));
        var allItemProbs = ItemProbs(input, keyInterests);                                           // [B, h, L, k]
        var itemProbs = Dropped(allItemProbs.gather(2, rows.view(batch, 1, 1, 1).expand(batch, _heads, 1, allItemProbs.shape[3])), itemDropout);
        var itemContext = itemProbs.matmul(Heads.Split(valueInterests, _heads));                     // [B, h, 1, dh]
        // Σ_j p_j·(x_j·Wᵀ + b) = (Σ_j p_j·x_j)·Wᵀ + (Σ_j p_j)·b per head; the rows of p do not sum to 1 (softmax over dim -2).
        var positionRows = positionProbs.index_select(1, rows).transpose(0, 1);                      // [B, h, L]
        var valueWeight = value.weight!.view(_heads, headSize, hidden).transpose(1, 2);               // [h, d, dh]
        var positionContext = positionRows.matmul(input).unsqueeze(2).matmul(valueWeight)             // [B, h, 1, dh]
            .add_(positionRows.sum(-1, keepdim: true).unsqueeze(-1).mul(value.bias!.view(_heads, 1, headSize)));
        var context = Heads.Merge(itemContext.add_(positionContext));                                 // [B, 1, d]
        var inputRows = input.gather(1, rows.view(batch, 1, 1).expand(batch, 1, hidden));
        var output = Dropped(dense.call(context), outputDropout);
        return LayerNorm.call(output.add_(inputRows)).MoveToOuterDisposeScope();
    }

    private static int Append(List<Tensor> list, Tensor tensor)
    {
        list.Add(tensor);
        return list.Count - 1;
    }

    /// <summary>Dropout by a mask drawn beforehand (as <see cref="HashedDropout"/> applies it), or none.</summary>
    private static Tensor Dropped(Tensor x, (Tensor Keep, double Scale)? dropout) =>
        dropout is { } d ? x.mul(d.Keep).mul_(d.Scale) : x;

    /// <summary>
    /// One GEMM over every row gives the values and both aggregations' interest scores; the interests then pool the
    /// raw input and are projected afterwards (<see cref="PooledInterests"/>).
    /// </summary>
    /// <returns>Values [B, L, d] (a strided view), value interests [B, k, d], key interests [B, k, d].</returns>
    private (Tensor MixedValue, Tensor ValueInterests, Tensor KeyInterests) ProjectValuesAndInterests(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = value.weight!.shape[0];
        var (scoreWeight, scoreBias) = InterestScoreRows();
        var wide = nn.functional.linear(input, cat([value.weight!, scoreWeight], 0), cat([value.bias!, scoreBias], 0)); // [B, L, d + 2k]
        // One split, not two narrows: backward then assembles the gradient of `wide` once instead of zero-filling and
        // summing a full-size tensor per narrow.
        var parts = wide.split([hidden, scoreWeight.shape[0]], -1);
        var (valueInterests, keyInterests) = PooledInterests(input, parts[1]);
        return (parts[0].MoveToOuterDisposeScope(), valueInterests.MoveToOuterDisposeScope(), keyInterests.MoveToOuterDisposeScope());
    }

    /// <summary>Weight rows [2k, d] and bias [2k] giving the value and then the key aggregation's scores straight from the input.</summary>
    private (Tensor Weight, Tensor Bias) InterestScoreRows()
    {
        var (valueScoreWeight, valueScoreBias) = attpooling_value.ScoreRows(value);
        var (keyScoreWeight, keyScoreBias) = attpooling_key.ScoreRows(key);
        return (cat([valueScoreWeight, keyScoreWeight], 0), cat([valueScoreBias, keyScoreBias], 0));
    }

    /// <summary>
    /// Value and key interests [B, k, d] from their scores [B, L, 2k] without projecting any row: both aggregations pool
    /// the raw input in one product and only the 2k pooled rows are projected (exact: each softmax column sums to 1).
    /// </summary>
    private (Tensor ValueInterests, Tensor KeyInterests) PooledInterests(Tensor input, Tensor scores)
    {
        var interests = attpooling_value.Interests;
        var pooled = scores.softmax(-2).transpose(1, 2).matmul(input);                                // [B, 2k, d]
        return (value.call(pooled.narrow(1, 0, interests)), key.call(pooled.narrow(1, interests, interests)));
    }

    /// <summary>
    /// softmax over the query axis of q·kᵀ/sqrt(dh) against the k key interests, [B, h, L, k]. The queries are never
    /// materialised: <c>(input·Wqᵀ + bq)·Kᵀ = input·(K·Wq)ᵀ + K·bq</c> per head, a [d, h·k] product per sequence
    /// instead of a d×d projection of every row.
    /// </summary>
    private Tensor ItemProbs(Tensor input, Tensor keyInterests)
    {
        using var scope = NewDisposeScope();
        var (batch, length, hidden) = (input.shape[0], input.shape[1], input.shape[2]);
        var keyHeads = Heads.Split(keyInterests, _heads);                                               // [B, h, k, dh]
        var interests = keyHeads.shape[2];
        var queryWeight = query.weight!.view(_heads, hidden / _heads, hidden);                         // [h, dh, d]
        var folded = keyHeads.matmul(queryWeight).reshape(batch, _heads * interests, hidden);           // [B, h·k, d]
        var foldedBias = keyHeads.matmul(query.bias!.view(_heads, hidden / _heads, 1)).view(batch, 1, _heads * interests);
        var scores = input.matmul(folded.transpose(1, 2)).add_(foldedBias)                              // [B, L, h·k]
            .view(batch, length, _heads, interests).permute(0, 2, 1, 3);                                // [B, h, L, k]
        return scores.div(_scoreScale).softmax(-2).MoveToOuterDisposeScope();
    }

    /// <summary>The decoupled position attention, [h, L, L], softmax over dim -2.</summary>
    private Tensor PositionProbs(Tensor positionEmbedding)
    {
        var positions = pos_ln.call(positionEmbedding);
        var positionQuery = Heads.Split(pos_q_linear.call(positions), _heads).mul(_positionQueryScale); // [h, L, dh]
        var positionKey = Heads.Split(pos_k_linear.call(positions), _heads);
        return positionQuery.matmul(positionKey.transpose(-1, -2)).div_(_scoreScale).softmax(-2);
    }
}
