using SeqRec.Modeling;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Models.Layers;

/// <summary>
/// SASRec's additive attention mask (RecBole's: 0 where key j ≤ query i and item j is not padding, -10000 elsewhere),
/// kept as its two factors instead of one [B, 1, L, L] tensor: a causal term that broadcasts over the batch and a
/// key-padding term that broadcasts over the queries. At L=400 and batch 2048 the dense mask alone is 1.3 GB that
/// training would hold from the first layer to the end of backward.
/// </summary>
/// <remarks>
/// Adding both factors gives -20000 where a key is both in the future and padding. After the softmax this is the same
/// 0 as -10000 (both underflow exp in float32), because no query row is masked entirely: key 0 is always a real item
/// and always visible. For the same reason a future key can simply be skipped (<see cref="MaskedSoftmaxKernels"/>):
/// its probability is exactly 0 either way.
/// A bidirectional mask (<see cref="Bidirectional"/>, BERT4Rec's) has no causal term (it is all 0) and only the
/// key-padding term hides keys.
/// </remarks>
public sealed class CausalPaddingMask : IDisposable
{
    private const float Blocked = -10000f;

    private CausalPaddingMask(Tensor queryKey, Tensor key, Tensor? queryPositions, bool paddingRowsRead, bool causal = true)
    {
        QueryKey = queryKey;
        Key = key;
        QueryPositions = queryPositions;
        PaddingRowsRead = paddingRowsRead;
        Causal = causal;
    }

    /// <summary>Whether a query at position i sees keys 0..i only; false for a <see cref="Bidirectional"/> mask.</summary>
    public bool Causal { get; }

    /// <summary>The causal term: [L, L] for every query row, or [B, 1, 1, L] for one query row per sequence.</summary>
    public Tensor QueryKey { get; }

    /// <summary>The key-padding term, [B, 1, 1, L].</summary>
    public Tensor Key { get; }

    /// <summary>
    /// Where each sequence's one query row sits, [B] (int64), after <see cref="AtRows"/>; null when every position is a
    /// query row. A query at position i sees keys 0..i.
    /// </summary>
    public Tensor? QueryPositions { get; }

    /// <summary>
    /// False when the encoder's output is read only at real items (<see cref="ForRealRows"/>). A real query row's
    /// window (keys 0..i of a right-padded sequence) then holds no padding, so the causal term alone gives its exact
    /// values; only rows at padding positions differ from RecBole's, and nothing reads them.
    /// </summary>
    public bool PaddingRowsRead { get; }

    /// <summary>Whether the causal term alone is the mask: every query row (all positions) reads only real items.</summary>
    public bool CausalSuffices => Causal && QueryPositions is null && !PaddingRowsRead;

    /// <summary>The mask of right-padded item sequences <paramref name="itemSeq"/> [B, L], exact at every row.</summary>
    public static CausalPaddingMask For(Tensor itemSeq) => Create(itemSeq, paddingRowsRead: true);

    /// <summary>
    /// The mask for an encoder whose output is read only at real items, such as the last one
    /// (<see cref="AtRows"/>): exact there, and attention without dropout needs no [B, 1, L, L] mask
    /// (<see cref="CausalSuffices"/>).
    /// </summary>
    public static CausalPaddingMask ForRealRows(Tensor itemSeq) => Create(itemSeq, paddingRowsRead: false);

    /// <summary>
    /// RecBole's bidirectional mask (<c>get_attention_mask(item_seq, bidirectional=True)</c>): every query sees every
    /// key that is not padding, exact at every row.
    /// </summary>
    public static CausalPaddingMask Bidirectional(Tensor itemSeq) => Create(itemSeq, paddingRowsRead: true, causal: false);

    private static CausalPaddingMask Create(Tensor itemSeq, bool paddingRowsRead, bool causal = true)
    {
        var (batch, length) = (itemSeq.shape[0], itemSeq.shape[1]);
        using var scope = NewDisposeScope();
        var queryKey = zeros(length, length, ScalarType.Float32, itemSeq.device);
        if (causal) queryKey.masked_fill_(ones(length, length, ScalarType.Bool, itemSeq.device).triu_(1), Blocked);
        var padding = zeros(batch, 1, 1, length, ScalarType.Float32, itemSeq.device)
            .masked_fill_(itemSeq.eq(SequentialRecommender.PaddingId).view(batch, 1, 1, length), Blocked);
        return new CausalPaddingMask(queryKey.MoveToOuterDisposeScope(), padding.MoveToOuterDisposeScope(), null, paddingRowsRead, causal);
    }

    /// <summary>The mask for query rows <paramref name="rows"/> [B] only (one per sequence): terms [B, 1, 1, L].</summary>
    public CausalPaddingMask AtRows(Tensor rows)
    {
        var batch = rows.shape[0];
        var causalRows = QueryKey.dim() == 2
            ? QueryKey.index_select(0, rows).view(batch, 1, 1, -1)
            : throw new InvalidOperationException("the mask is already restricted to one row per sequence");
        return new CausalPaddingMask(causalRows, Key.alias(), rows.dtype == ScalarType.Int64 ? rows.alias() : rows.to_type(ScalarType.Int64), PaddingRowsRead, Causal);
    }

    /// <summary>The dense additive mask [B, 1, Lq, L] with RecBole's exact values.</summary>
    public Tensor Dense()
    {
        using var scope = NewDisposeScope();
        return QueryKey.add(Key).clamp_min_(Blocked).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        QueryKey.Dispose();
        Key.Dispose();
        QueryPositions?.Dispose();
    }
}
