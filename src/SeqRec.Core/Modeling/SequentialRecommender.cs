using SeqRec.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Modeling;

/// <summary>
/// The contract every next-item model implements and the trainer and evaluator rely on. The base owns the item
/// embedding (RecBole's <c>item_embedding</c>, padding id 0), the CE and BPR losses, and scoring; a model writes only
/// its sequence encoder (<see cref="Encode"/>).
/// </summary>
public abstract class SequentialRecommender : nn.Module
{
    protected SequentialRecommender(string name, ModelContext context, int hiddenSize, LossType lossType) : base(name)
    {
        Context = context;
        HiddenSize = hiddenSize;
        LossType = lossType;
    }

    public ModelContext Context { get; }

    public int HiddenSize { get; }

    public LossType LossType { get; }

    /// <summary>The item embedding matrix [n_items, hidden]; subclasses create and register it.</summary>
    public abstract Tensor ItemEmbeddingWeight { get; }

    /// <summary>
    /// Encodes right-padded item sequences <paramref name="itemSeq"/> [B, L] (int64) with real lengths
    /// <paramref name="itemSeqLen"/> [B] into the hidden state at the last real item, [B, hidden].
    /// </summary>
    public abstract Tensor Encode(Tensor itemSeq, Tensor itemSeqLen);

    /// <summary>Mean training loss of a batch: CE over all items, or BPR against <paramref name="negItems"/>.</summary>
    public virtual Tensor CalculateLoss(Tensor itemSeq, Tensor itemSeqLen, Tensor posItems, Tensor? negItems)
    {
        var seqOutput = Encode(itemSeq, itemSeqLen);
        return LossFrom(seqOutput, posItems, negItems);
    }

    /// <summary>The loss given an encoder output; exposed for parity tests.</summary>
    public Tensor LossFrom(Tensor seqOutput, Tensor posItems, Tensor? negItems)
    {
        if (LossType == LossType.BPR)
        {
            if (negItems is null) throw new ArgumentException("BPR loss needs one negative item per sample", nameof(negItems));
            using var scope = NewDisposeScope();
            var weight = ItemEmbeddingWeight;
            var pos = (seqOutput * weight.index_select(0, posItems)).sum(-1);
            var neg = (seqOutput * weight.index_select(0, negItems)).sum(-1);
            return (-(torch.sigmoid(pos - neg) + 1e-10).log()).mean().MoveToOuterDisposeScope();
        }
        using (var scope = NewDisposeScope())
        {
            var logits = seqOutput.matmul(ItemEmbeddingWeight.t());
            return nn.functional.cross_entropy(logits, posItems).MoveToOuterDisposeScope();
        }
    }

    /// <summary>Scores of every item, [B, n_items]; nothing masked (the evaluator masks padding).</summary>
    public virtual Tensor FullSortScores(Tensor itemSeq, Tensor itemSeqLen)
    {
        using var scope = NewDisposeScope();
        return Encode(itemSeq, itemSeqLen).matmul(ItemEmbeddingWeight.t()).MoveToOuterDisposeScope();
    }

    /// <summary>Scores of the given candidates: <paramref name="items"/> [B] gives [B], [B, N] gives [B, N].</summary>
    public virtual Tensor Predict(Tensor itemSeq, Tensor itemSeqLen, Tensor items)
    {
        using var scope = NewDisposeScope();
        var seqOutput = Encode(itemSeq, itemSeqLen);
        var candidates = ItemEmbeddingWeight.index_select(0, items.flatten()).view([.. items.shape, HiddenSize]);
        var scores = items.dim() == 1
            ? (seqOutput * candidates).sum(-1)
            : candidates.matmul(seqOutput.unsqueeze(-1)).squeeze(-1);
        return scores.MoveToOuterDisposeScope();
    }
}

/// <summary>A sequential recommender configured by the section record <typeparamref name="TConfig"/>.</summary>
public abstract class SequentialRecommender<TConfig> : SequentialRecommender
    where TConfig : IConfigSection<TConfig>
{
    protected SequentialRecommender(string name, TConfig config, ModelContext context, int hiddenSize, LossType lossType)
        : base(name, context, hiddenSize, lossType)
    {
        Config = config;
    }

    public TConfig Config { get; }
}
