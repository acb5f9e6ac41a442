using SeqRec.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Modeling;

/// <summary>
/// RecBole's most common model shape: an <c>item_embedding</c> table (padding id 0, frozen padding row), a sequence
/// encoder (<see cref="SequentialRecommender.Forward"/>, [B, embedding_size]), and scores as dot products with the
/// item embeddings: CE over all items or BPR against one negative, full-sort and candidate scores. A model writes only
/// its encoder and overrides what differs (e.g. a regulariser added to <see cref="CalculateLoss"/>).
/// </summary>
public abstract class ItemEmbeddingRecommender : SequentialRecommender
{
    // Private, so a subclass's RegisterComponents does not see it; registered by hand under its state-dict name.
    private readonly Embedding item_embedding;

    /// <param name="embeddingSize">Columns of the item embedding and size of the encoder output.</param>
    /// <param name="lossType">CE over all items, or BPR against one uniform negative per sample.</param>
    /// <param name="extraItemRows">Rows after the n_items real ones that are looked up but never scored (BERT4Rec's mask token).</param>
    protected ItemEmbeddingRecommender(string name, ModelContext context, int embeddingSize, LossType lossType, int extraItemRows = 0)
        : base(name, context)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(extraItemRows);
        EmbeddingSize = embeddingSize;
        LossType = lossType;
        item_embedding = nn.Embedding(context.NItems + extraItemRows, embeddingSize, padding_idx: PaddingId);
        register_module(nameof(item_embedding), item_embedding);
    }

    /// <summary>Size of the item embeddings and of <see cref="SequentialRecommender.Forward"/>'s output.</summary>
    public int EmbeddingSize { get; }

    public LossType LossType { get; }

    public override BatchNeeds Needs => LossType == LossType.BPR ? BprNeeds : BatchNeeds.None;

    private static readonly BatchNeeds BprNeeds = new() { Negatives = true };

    /// <summary>The item embedding module (state-dict name <c>item_embedding</c>), extra rows included.</summary>
    protected Embedding ItemEmbedding => item_embedding;

    /// <summary>The scored items' embeddings [n_items, embedding_size]: what every score is a dot product with.</summary>
    /// <remarks>Virtual so that a model (or a test double) can score against another output matrix.</remarks>
    public virtual Tensor ItemEmbeddingWeight =>
        item_embedding.weight!.shape[0] == Context.NItems ? item_embedding.weight! : item_embedding.weight!.narrow(0, 0, Context.NItems);

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var seqOutput = Forward(batch);
        return LossFrom(seqOutput, batch).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The loss given an encoder output [B, hidden]. CE scores every item, the padding column included (as RecBole
    /// does), only at the gathered position; BPR is mean -log(1e-10 + sigmoid(pos - neg)).
    /// </summary>
    public Tensor LossFrom(Tensor seqOutput, Batch batch)
    {
        using var scope = NewDisposeScope();
        var weight = ItemEmbeddingWeight;
        if (LossType == LossType.BPR)
        {
            var pos = (seqOutput * weight.index_select(0, batch.PosItems)).sum(-1);
            var neg = (seqOutput * weight.index_select(0, batch.Negatives)).sum(-1);
            return (-(torch.sigmoid(pos - neg) + 1e-10).log()).mean().MoveToOuterDisposeScope();
        }
        var logits = seqOutput.matmul(weight.t());
        return nn.functional.cross_entropy(logits, batch.PosItems).MoveToOuterDisposeScope();
    }

    public override Tensor FullSortScores(Batch batch)
    {
        using var scope = NewDisposeScope();
        return Forward(batch).matmul(ItemEmbeddingWeight.t()).MoveToOuterDisposeScope();
    }

    public override Tensor Predict(Batch batch, Tensor items)
    {
        using var scope = NewDisposeScope();
        var seqOutput = Forward(batch);
        var candidates = ItemEmbeddingWeight.index_select(0, items.flatten()).view([.. items.shape, EmbeddingSize]);
        var scores = items.dim() == 1
            ? (seqOutput * candidates).sum(-1)
            : candidates.matmul(seqOutput.unsqueeze(-1)).squeeze(-1);
        return scores.MoveToOuterDisposeScope();
    }

    /// <summary>Looks up the item embeddings of <paramref name="itemSeq"/> [B, L] → [B, L, embedding_size].</summary>
    protected Tensor EmbedItems(Tensor itemSeq)
    {
        CheckItemSeq(itemSeq);
        return item_embedding.call(itemSeq);
    }

    /// <summary>
    /// <c>norm(item_emb[itemSeq] + positions)</c> [B, L, hidden], where positions are the first L rows of
    /// <paramref name="positionTable"/> [max_item_list_length, hidden] (none if null). With recomputation one node that
    /// keeps only the ids for backward (<see cref="RecomputedEmbeddingNorm"/>).
    /// </summary>
    protected Tensor NormalizedItemEmbeddings(Tensor itemSeq, Tensor? positionTable, LayerNorm norm, double layerNormEps)
    {
        CheckItemSeq(itemSeq);
        using var positions = positionTable?.narrow(0, 0, itemSeq.shape[1]);
        if (RecomputeActivations)
            return RecomputedEmbeddingNorm.Apply(itemSeq, item_embedding.weight!, positions, norm.weight!, norm.bias!, layerNormEps);
        var items = item_embedding.call(itemSeq);
        return norm.call(positions is null ? items : items.add_(positions));
    }
}
