using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// FOSSIL (He and McAuley, ICDM 2016) as RecBole 1.2.1 computes it: a high-order Markov term, the last
/// <c>order_len</c> real items weighted by <c>user_lambda(u) + lambda_</c> (positions before the sequence start count
/// as zero vectors), plus a similarity term, <c>len^(-alpha)</c> times the sum of the embeddings over every position of
/// the right-padded sequence (padding rows included). Scores are dot products with the item embedding.
/// </summary>
[Model("fossil", DisplayName = "FOSSIL", Paper = "He and McAuley, Fusing Similarity Models with Markov Chains for Sparse Sequential Recommendation, ICDM 2016",
    Remarks = "As RecBole 1.2.1: positions before the sequence start are zero vectors in the high-order term, while the similarity term sums the padding rows.")]
public sealed class Fossil : ItemEmbeddingRecommender
{
    private readonly Embedding user_lambda;
    private readonly Parameter lambda_;
    private readonly int _orderLen;
    private readonly double _alpha;
    private readonly double _regWeight;

    public Fossil(FossilConfig config, ModelContext context)
        : base(nameof(Fossil), context, config.EmbeddingSize, config.LossType)
    {
        RequireUsers();
        if (config.OrderLen > context.MaxSeqLength)
            throw new SeqRecException($"fossil: order_len ({config.OrderLen}) cannot be longer than max_item_list_length ({context.MaxSeqLength})");
        _orderLen = config.OrderLen;
        _alpha = config.Alpha;
        _regWeight = config.RegWeight;
        user_lambda = nn.Embedding(context.NUsers, config.OrderLen);
        lambda_ = nn.Parameter(zeros(config.OrderLen));
        RegisterComponents();
        using var noGrad = no_grad();
        nn.init.xavier_normal_(ItemEmbedding.weight!);
        nn.init.xavier_normal_(user_lambda.weight!);
    }

    public override BatchNeeds Needs => base.Needs with { UserIds = true };

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var (itemSeq, itemSeqLen) = (batch.ItemSeq, batch.ItemSeqLen);
        var embedded = EmbedItems(itemSeq);                                                      // [B, L, E]
        var (size, width) = (embedded.shape[0], embedded.shape[2]);

        // The last order_len real items, oldest first; positions before the start are zero vectors.
        var padded = cat([zeros(size, _orderLen, width, dtype: embedded.dtype, device: embedded.device), embedded], 1);
        var positions = itemSeqLen.unsqueeze(1) + arange(_orderLen, dtype: ScalarType.Int64, device: itemSeq.device);
        var recent = padded.gather(1, positions.unsqueeze(2).expand(-1, -1, width));              // [B, order, E]
        var weights = user_lambda.call(batch.Users) + lambda_;                                    // [B, order]
        var highOrder = (recent * weights.unsqueeze(2)).sum(1);

        var coefficient = itemSeqLen.unsqueeze(1).to_type(embedded.dtype).pow(-_alpha);           // [B, 1]
        var similarity = coefficient * embedded.sum(1);
        return (highOrder + similarity).MoveToOuterDisposeScope();
    }

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var seqOutput = Forward(batch);
        var main = LossFrom(seqOutput, batch);
        if (_regWeight == 0) return new LossOutput(main.MoveToOuterDisposeScope());
        var reg = _regWeight * user_lambda.call(batch.Users).norm()
                  + _regWeight * ItemEmbedding.call(batch.PosItems).norm()
                  + _regWeight * seqOutput.norm();
        var total = (main + reg).MoveToOuterDisposeScope();
        return new LossOutput(total, [new LossPart("main", main.MoveToOuterDisposeScope()), new LossPart("reg", reg.MoveToOuterDisposeScope())]);
    }
}
