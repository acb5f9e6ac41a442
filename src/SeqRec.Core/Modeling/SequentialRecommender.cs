using SeqRec.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Modeling;

/// <summary>
/// The contract every next-item model implements and the trainer and evaluator rely on. The base owns the item
/// embedding (RecBole's <c>item_embedding</c>, padding id 0, frozen padding row), the CE and BPR losses, and scoring;
/// a model writes only its sequence encoder (<see cref="Encode"/>).
/// </summary>
public abstract class SequentialRecommender : nn.Module
{
    /// <summary>The padding item id; its embedding row never receives a gradient.</summary>
    public const int PaddingId = 0;

    // Private, so a subclass's RegisterComponents does not see it; registered by hand under its state-dict name.
    private readonly Embedding item_embedding;

    protected SequentialRecommender(string name, ModelContext context, int hiddenSize, LossType lossType) : base(name)
    {
        if (context.NItems < 2) throw new SeqRecException($"n_items must count the padding item and at least one real item, got {context.NItems}");
        if (context.MaxSeqLength < 1) throw new SeqRecException($"max_item_list_length must be at least 1, got {context.MaxSeqLength}");
        Context = context;
        HiddenSize = hiddenSize;
        LossType = lossType;
        item_embedding = nn.Embedding(context.NItems, hiddenSize, padding_idx: PaddingId);
        register_module(nameof(item_embedding), item_embedding);
    }

    public ModelContext Context { get; }

    public int HiddenSize { get; }

    public LossType LossType { get; }

    /// <summary>Switches every <see cref="IRecomputesActivations"/> module of the model to recompute in backward.</summary>
    /// <returns>How many modules were switched.</returns>
    public int UseActivationRecomputation()
    {
        RecomputeActivations = true;
        var switched = 0;
        foreach (var (_, module) in named_modules())
            if (module is IRecomputesActivations recomputing) { recomputing.RecomputeActivations = true; switched++; }
        return switched;
    }

    /// <summary>Set by <see cref="UseActivationRecomputation"/>: the model's own layers recompute too.</summary>
    protected bool RecomputeActivations { get; private set; }

    /// <summary>The item embedding matrix [n_items, hidden] (state-dict name <c>item_embedding.weight</c>).</summary>
    /// <remarks>Virtual so that a model (or a test double) can score against another output matrix.</remarks>
    public virtual Tensor ItemEmbeddingWeight => item_embedding.weight!;

    /// <summary>
    /// Encodes right-padded item sequences <paramref name="itemSeq"/> [B, L] (int64) with real lengths
    /// <paramref name="itemSeqLen"/> [B] into the hidden state at the last real item, [B, hidden].
    /// </summary>
    public abstract Tensor Encode(Tensor itemSeq, Tensor itemSeqLen);

    /// <summary>Mean training loss of a batch: CE over all items, or BPR against <paramref name="negItems"/>.</summary>
    public virtual Tensor CalculateLoss(Tensor itemSeq, Tensor itemSeqLen, Tensor posItems, Tensor? negItems)
    {
        using var scope = NewDisposeScope();
        var seqOutput = Encode(itemSeq, itemSeqLen);
        return LossFrom(seqOutput, posItems, negItems).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The loss given an encoder output [B, hidden]. CE scores every item, the padding column included (as RecBole
    /// does), only at the gathered position; BPR is mean -log(1e-10 + sigmoid(pos - neg)).
    /// </summary>
    public Tensor LossFrom(Tensor seqOutput, Tensor posItems, Tensor? negItems)
    {
        using var scope = NewDisposeScope();
        var weight = ItemEmbeddingWeight;
        if (LossType == LossType.BPR)
        {
            if (negItems is null) throw new ArgumentException("BPR loss needs one negative item per sample", nameof(negItems));
            var pos = (seqOutput * weight.index_select(0, posItems)).sum(-1);
            var neg = (seqOutput * weight.index_select(0, negItems)).sum(-1);
            return (-(torch.sigmoid(pos - neg) + 1e-10).log()).mean().MoveToOuterDisposeScope();
        }
        var logits = seqOutput.matmul(weight.t());
        return nn.functional.cross_entropy(logits, posItems).MoveToOuterDisposeScope();
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

    /// <summary>Looks up the item embeddings of <paramref name="itemSeq"/> [B, L] → [B, L, hidden].</summary>
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

    private void CheckItemSeq(Tensor itemSeq)
    {
        if (itemSeq.dim() != 2 || itemSeq.shape[1] > Context.MaxSeqLength)
            throw new ArgumentException($"item_seq must be [B, L] with L <= max_item_list_length ({Context.MaxSeqLength}), got [{string.Join(", ", itemSeq.shape)}]", nameof(itemSeq));
    }

    /// <summary>
    /// RecBole's <c>_init_weights</c> over every submodule: Linear and Embedding weights N(0, <paramref name="std"/>)
    /// (the padding row too), Linear biases 0, LayerNorm weight 1 and bias 0. Other parameters are left as their
    /// module initialised them. Call at the end of the subclass constructor, after <c>RegisterComponents()</c>.
    /// </summary>
    protected void InitializeWeights(double std)
    {
        using var noGrad = no_grad();
        foreach (var module in modules())
        {
            switch (module)
            {
                case Linear linear:
                    linear.weight!.normal_(0, std);
                    linear.bias?.zero_();
                    break;
                case Embedding embedding:
                    embedding.weight!.normal_(0, std);
                    break;
                case LayerNorm norm:
                    norm.weight!.fill_(1);
                    norm.bias!.zero_();
                    break;
            }
        }
    }

    /// <summary>RecBole's <c>gather_indexes</c>: the rows of <paramref name="output"/> [B, L, H] at len - 1 → [B, H].</summary>
    protected static Tensor GatherLast(Tensor output, Tensor itemSeqLen)
    {
        using var scope = NewDisposeScope();
        var index = (itemSeqLen - 1).view(-1, 1, 1).expand(-1, 1, output.shape[2]);
        return output.gather(1, index).squeeze(1).MoveToOuterDisposeScope();
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
