using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// HGN (Ma, Kang and Liu, KDD 2019) as RecBole 1.2.1 computes it: feature gating
/// <c>f = e * sigmoid(w1 e + w2 u + b)</c>, instance gating <c>s = sigmoid(w3 f + w4 u)</c> over every position of the
/// right-padded sequence (no padding mask), average or max pooling, and the output
/// <c>u + pooled + sum of the item embeddings</c> (padding rows included). Items are scored with the separate
/// <c>item_embedding_for_prediction</c>; RecBole's BPR loss takes the negative's embedding from <c>item_embedding</c>
/// instead, and that is reproduced here.
/// </summary>
[Model("hgn", DisplayName = "HGN", Paper = "Ma, Kang and Liu, Hierarchical Gating Networks for Sequential Recommendation, KDD 2019",
    Remarks = "As RecBole 1.2.1: scores use item_embedding_for_prediction, but the BPR negative uses item_embedding.")]
public sealed class Hgn : ItemEmbeddingRecommender
{
    private readonly Embedding user_embedding;
    private readonly Linear w1;
    private readonly Linear w2;
    private readonly Parameter b;
    private readonly Linear w3;
    private readonly Linear w4;
    private readonly Embedding item_embedding_for_prediction;
    private readonly HgnPooling _pooling;
    private readonly double _regGates;
    private readonly double _regEmbeddings;

    public Hgn(HgnConfig config, ModelContext context)
        : base(nameof(Hgn), context, config.EmbeddingSize, config.LossType)
    {
        RequireUsers();
        var size = config.EmbeddingSize;
        _pooling = config.PoolingType;
        (_regGates, _regEmbeddings) = (config.RegWeight[0], config.RegWeight[1]);
        user_embedding = nn.Embedding(context.NUsers, size);
        w1 = nn.Linear(size, size);
        w2 = nn.Linear(size, size);
        b = nn.Parameter(zeros(size));
        w3 = nn.Linear(size, 1, hasBias: false);
        w4 = nn.Linear(size, context.MaxSeqLength, hasBias: false);
        item_embedding_for_prediction = nn.Embedding(context.NItems, size);
        RegisterComponents();
        Initialize(size);
    }

    /// <summary>RecBole's HGN initialisation: embeddings N(0, 1/E), Linear weights xavier_uniform_, biases 0; <c>b</c> stays 0.</summary>
    private void Initialize(int size)
    {
        using var noGrad = no_grad();
        foreach (var embedding in new[] { ItemEmbedding, user_embedding, item_embedding_for_prediction })
            embedding.weight!.normal_(0, 1.0 / size);
        foreach (var linear in new[] { w1, w2, w3, w4 })
        {
            nn.init.xavier_uniform_(linear.weight!);
            linear.bias?.zero_();
        }
    }

    public override BatchNeeds Needs => base.Needs with { UserIds = true };

    /// <summary>Scores use <c>item_embedding_for_prediction</c>.</summary>
    public override Tensor ItemEmbeddingWeight => item_embedding_for_prediction.weight!;

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var embedded = EmbedItems(batch.ItemSeq);                                              // [B, L, E]
        var user = user_embedding.call(batch.Users);                                           // [B, E]
        return Encode(embedded, user).MoveToOuterDisposeScope();
    }

    private Tensor Encode(Tensor embedded, Tensor user)
    {
        using var scope = NewDisposeScope();
        var length = embedded.shape[1];
        var features = embedded * torch.sigmoid(w1.call(embedded) + w2.call(user).unsqueeze(1) + b);
        var userGate = w4.call(user);                                                          // [B, max_item_list_length]
        if (userGate.shape[1] != length) userGate = userGate.narrow(1, 0, length);
        var gates = torch.sigmoid(w3.call(features) + userGate.unsqueeze(2)).squeeze(-1);      // [B, L]
        var gated = gates.unsqueeze(2) * features;                                             // [B, L, E]
        Tensor pooled;
        if (_pooling == HgnPooling.Average)
        {
            pooled = gated.sum(1) / gates.sum(1).unsqueeze(1);
        }
        else
        {
            var best = gates.max(1).indexes;                                                   // [B]
            pooled = gated.gather(1, best.view(-1, 1, 1).expand(-1, 1, gated.shape[2])).squeeze(1);
        }
        return (user + pooled + embedded.sum(1)).MoveToOuterDisposeScope();
    }

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var embedded = EmbedItems(batch.ItemSeq);
        var user = user_embedding.call(batch.Users);
        var seqOutput = Encode(embedded, user);
        var pos = item_embedding_for_prediction.call(batch.PosItems);
        Tensor main;
        if (LossType == LossType.BPR)
        {
            var posScore = (seqOutput * pos).sum(-1);
            var negScore = (seqOutput * ItemEmbedding.call(batch.Negatives)).sum(-1);      // RecBole's choice of table
            main = -(torch.sigmoid(posScore - negScore) + 1e-10).log().mean();
        }
        else
        {
            main = nn.functional.cross_entropy(seqOutput.matmul(item_embedding_for_prediction.weight!.t()), batch.PosItems);
        }
        if (_regGates == 0 && _regEmbeddings == 0) return new LossOutput(main.MoveToOuterDisposeScope());
        var gateNorms = _regGates * w1.weight!.norm() + _regGates * w2.weight!.norm() + _regGates * w3.weight!.norm() + _regGates * w4.weight!.norm();
        var embeddingNorms = _regEmbeddings * user.norm() + _regEmbeddings * pos.norm() + _regEmbeddings * embedded.norm();
        var reg = gateNorms + embeddingNorms;
        var total = (main + reg).MoveToOuterDisposeScope();
        return new LossOutput(total, [new LossPart("main", main.MoveToOuterDisposeScope()), new LossPart("reg", reg.MoveToOuterDisposeScope())]);
    }
}
