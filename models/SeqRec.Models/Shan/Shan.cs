using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// SHAN (Ying et al., IJCAI 2018) as RecBole 1.2.1 computes it, on left-padded sequences: a user-guided attention over
/// the whole history gives the long-term vector, a second attention over it and the last <c>short_item_length</c>
/// items gives the output. Training and candidate scores read the left-padded <c>Inverse_item_id_list</c>, which the
/// model's batch transforms add; full-sort scores read the right-padded sequence as RecBole's
/// <c>full_sort_predict</c> does, so for rows shorter than the window the short-term part is padding there.
/// </summary>
[Model("shan", DisplayName = "SHAN", Paper = "Ying et al., Sequential Recommender System based on Hierarchical Attention Network, IJCAI 2018",
    Remarks = "As RecBole 1.2.1: training and predict read the left-padded sequence, but full-sort scoring reads the right-padded one, so for sequences shorter than L the short-term window is padding there.")]
public sealed class Shan : ItemEmbeddingRecommender
{
    /// <summary>The batch field holding the left-padded sequences.</summary>
    public const string InverseItemSeq = "Inverse_item_id_list";

    private readonly Embedding user_embedding;
    private readonly Linear long_w;
    private readonly Parameter long_b;
    private readonly Linear long_short_w;
    private readonly Parameter long_short_b;
    private readonly int _shortItemLength;
    private readonly double _regAttention;
    private readonly double _regEmbedding;

    private static readonly IBatchTransform LeftPadding = new InverseItemSequence();

    public Shan(ShanConfig config, ModelContext context)
        : base(nameof(Shan), context, config.EmbeddingSize, config.LossType)
    {
        RequireUsers();
        if (config.ShortItemLength > context.MaxSeqLength)
            throw new SeqRecException($"short_item_length ({config.ShortItemLength}) can't be longer than max_item_list_length ({context.MaxSeqLength})");
        var size = config.EmbeddingSize;
        _shortItemLength = config.ShortItemLength;
        (_regAttention, _regEmbedding) = (config.RegWeight[0], config.RegWeight[1]);
        var bound = Math.Sqrt(3.0 / size);
        user_embedding = nn.Embedding(context.NUsers, size);
        long_w = nn.Linear(size, size);
        long_b = nn.Parameter(empty(size).uniform_(-bound, bound));
        long_short_w = nn.Linear(size, size);
        long_short_b = nn.Parameter(empty(size).uniform_(-bound, bound));
        RegisterComponents();
        using var noGrad = no_grad();
        ItemEmbedding.weight!.normal_(0, 0.01);
        user_embedding.weight!.normal_(0, 0.01);
        long_w.weight!.uniform_(-bound, bound);
        long_short_w.weight!.uniform_(-bound, bound);
    }

    public override BatchNeeds Needs => base.Needs with { UserIds = true, TrainingTransform = LeftPadding, EvaluationTransform = LeftPadding };

    /// <summary>The output for the left-padded sequences (<c>Inverse_item_id_list</c>), [B, E].</summary>
    public override Tensor Forward(Batch batch) => Encode(LeftPaddedSequences(batch), batch.Users);

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var main = LossFrom(Forward(batch), batch);
        var reg = _regAttention * long_w.weight!.norm() + _regAttention * long_short_w.weight!.norm()
                  + _regEmbedding * user_embedding.call(batch.Users).norm() + _regEmbedding * ItemEmbedding.call(batch.PosItems).norm();
        var total = main + reg;
        return new LossOutput(total.MoveToOuterDisposeScope(), [new LossPart("main", main.MoveToOuterDisposeScope()), new LossPart("reg", reg.MoveToOuterDisposeScope())]);
    }

    /// <summary>RecBole's <c>full_sort_predict</c>: the encoder on the right-padded <c>item_id_list</c>.</summary>
    public override Tensor FullSortScores(Batch batch)
    {
        using var scope = NewDisposeScope();
        return Encode(batch.ItemSeq, batch.Users).matmul(ItemEmbeddingWeight.t()).MoveToOuterDisposeScope();
    }

    private static Tensor LeftPaddedSequences(Batch batch) =>
        batch.TryGet(InverseItemSeq, out var inverse) ? inverse : throw new InvalidOperationException(
            $"the batch has no '{InverseItemSeq}': SHAN's batch transforms add it (BatchNeeds.TrainingTransform, EvaluationTransform)");

    private Tensor Encode(Tensor itemSeq, Tensor users)
    {
        using var scope = NewDisposeScope();
        var emb = EmbedItems(itemSeq);
        var user = user_embedding.call(users).unsqueeze(2);
        var mask = itemSeq.eq(PaddingId);

        // Both biases in one (RecBole adds long_b after the layer's own bias), and the weighted sums as batched
        // products: no [B, L, E] sum or product is written, forward or backward.
        var longWeights = Attention(long_w, long_b, emb, user).masked_fill(mask, -1e9).softmax(1);
        var longTerm = longWeights.unsqueeze(1).bmm(emb);                               // [B, 1, E]

        var width = emb.shape[1];
        var recent = Math.Min(_shortItemLength, width);
        var shortTerm = emb.narrow(1, width - recent, recent);
        var shortMask = cat([zeros([mask.shape[0], 1], ScalarType.Bool, mask.device), mask.narrow(1, width - recent, recent)], 1);
        var values = cat([longTerm, shortTerm], 1);
        var weights = Attention(long_short_w, long_short_b, values, user).masked_fill(shortMask, -1e9).softmax(-1);
        return weights.unsqueeze(1).bmm(values).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>RecBole's attention logits <c>relu(layer(items) + bias) · user</c>, [B, n].</summary>
    private static Tensor Attention(Linear layer, Parameter bias, Tensor items, Tensor user) =>
        nn.functional.relu(nn.functional.linear(items, layer.weight!, layer.bias! + bias)).bmm(user).squeeze(-1);

    /// <summary>RecBole's <c>inverse_itemseq</c> transform: adds the left-padded sequences as <c>Inverse_item_id_list</c>.</summary>
    private sealed class InverseItemSequence : IBatchTransform
    {
        public void Apply(Batch batch, BatchOrigin origin) => batch.Set(InverseItemSeq, SequenceAlignment.LeftPadded(batch.ItemSeq, batch.ItemSeqLen));
    }
}
