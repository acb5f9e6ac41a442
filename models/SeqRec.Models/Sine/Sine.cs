using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// SINE (Tan et al., WSDM 2021) as RecBole 1.2.1 computes it: an attention-pooled summary of the sequence activates
/// the <c>interest_size</c> best-scoring of <c>prototype_size</c> learnt prototypes; every position is softly assigned
/// to those intentions, each intention pools the sequence into an interest embedding, and a prototype-sequence summary
/// weighs the interests into the output [B, E]. Scores are dot products with the item embedding.
/// </summary>
[Model("sine", DisplayName = "SINE", Paper = "Tan et al., Sparse-Interest Network for Sequential Recommendation, WSDM 2021",
    Remarks = "As RecBole 1.2.1: no padding mask anywhere; every softmax over positions runs over all max_item_list_length positions (sequences are padded to that width), so padding positions contribute item_embedding[0], and item_seq_len is unused. The prototype regulariser is added to the NLL loss only.")]
public sealed class Sine : ItemEmbeddingRecommender
{
    private const double InitializerRange = 0.01;

    private readonly Parameter w1;
    private readonly Parameter w2;
    private readonly Parameter w3;
    private readonly Parameter w4;
    private readonly Embedding C;
    private readonly Parameter w_k_1;
    private readonly Parameter w_k_2;
    private readonly LayerNorm ln2;
    private readonly LayerNorm ln4;
    private readonly int _interestSize;
    private readonly double _tau;
    private readonly double _regLossRatio;

    public Sine(SineConfig config, ModelContext context)
        : base(nameof(Sine), context, config.EmbeddingSize, config.LossType == SineLossType.BPR ? LossType.BPR : LossType.CE)
    {
        if (config.InterestSize > config.PrototypeSize)
            throw new SeqRecException($"interest_size ({config.InterestSize}) can't exceed prototype_size ({config.PrototypeSize})");
        var (d, k) = (config.EmbeddingSize, config.InterestSize);
        SineLossType = config.LossType;
        _interestSize = k;
        _tau = config.TauRatio;
        _regLossRatio = config.RegLossRatio;
        w1 = NormalParameter(d, d);
        w2 = NormalParameter(d);
        w3 = NormalParameter(d, d);
        w4 = NormalParameter(d);
        C = nn.Embedding(config.PrototypeSize, d);
        w_k_1 = NormalParameter(k, d, d);
        w_k_2 = NormalParameter(k, d);
        ln2 = nn.LayerNorm(d, config.LayerNormEps);
        ln4 = nn.LayerNorm(d, config.LayerNormEps);
        RegisterComponents();
        using var noGrad = no_grad();
        nn.init.xavier_normal_(C.weight!);
        nn.init.xavier_normal_(ItemEmbedding.weight!);
    }

    /// <summary>The configured loss (<see cref="ItemEmbeddingRecommender.LossType"/> is CE for NLL, BPR for BPR).</summary>
    public SineLossType SineLossType { get; }

    private static Parameter NormalParameter(params long[] shape)
    {
        using var noGrad = no_grad();
        return nn.Parameter(empty(shape).normal_(0, InitializerRange));
    }

    /// <summary>The interest-weighted output [B, E] (RecBole's <c>forward(item_seq, item_seq_len)</c>; lengths unused).</summary>
    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var x = EmbedItems(PadToMaxLength(batch.ItemSeq));                     // [B, L, D]
        var (b, length, d) = (x.shape[0], x.shape[1], x.shape[2]);
        var k = _interestSize;

        // Concept activation: an attention-pooled summary scores every prototype; the k best are kept, best last.
        var (prototypes, scores) = SelectPrototypes(ConceptScores(x));
        var cu = C.call(prototypes) * sigmoid(scores).unsqueeze(2);             // [B, k, D]

        // Intention assignment: each position's distribution over the k intentions.
        var xw3 = nn.functional.normalize(x.matmul(w3), p: 2, dim: 2);
        var pkt = xw3.bmm(ln2.call(cu).transpose(1, 2)).softmax(2);             // [B, L, k]

        // Attention weighting: per intention, a distribution over positions.
        // x w_k_1[j] for every j as one product with the k matrices side by side (a broadcast [B, 1, L, D] @ [k, D, D]
        // would expand w_k_1 to B copies, and its gradient too).
        var hidden = tanh(x.matmul(w_k_1.permute(1, 0, 2).reshape(d, k * d)).view(b, length, k, d));      // [B, L, k, D]
        var ptk = (hidden * w_k_2).sum(3).transpose(1, 2).softmax(2);           // [B, k, L]

        // Interest embeddings.
        var delta = nn.functional.normalize((pkt.transpose(1, 2) * ptk).bmm(x), p: 2, dim: 2);            // [B, k, D]

        // Prototype sequence and its attention-pooled summary.
        var xBar = pkt.bmm(cu);                                                  // [B, L, D]
        var weights = tanh(xBar.matmul(w3)).matmul(w4).softmax(1);              // [B, L]
        var apt = ln4.call(weights.view(b, 1, length).bmm(xBar));               // [B, 1, D]

        // Aggregation.
        var e = (delta.bmm(apt.view(b, d, 1)).squeeze(2) / _tau).softmax(1);    // [B, k]
        return e.unsqueeze(1).bmm(delta).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The ids of the <c>interest_size</c> highest-scoring prototypes per row [B, k], ascending (best last, as RecBole's
    /// <c>argsort(1)[:, -k:]</c>), and their scores [B, k].
    /// </summary>
    public (Tensor Prototypes, Tensor Scores) SelectPrototypes(Tensor s)
    {
        using var scope = NewDisposeScope();
        var (values, indices) = s.sort(1);
        var p = s.shape[1];
        var k = _interestSize;
        return (indices.narrow(1, p - k, k).MoveToOuterDisposeScope(), values.narrow(1, p - k, k).MoveToOuterDisposeScope());
    }

    /// <summary>Every prototype's activation score for each row of a batch [B, prototype_size], from which <see cref="SelectPrototypes"/> picks.</summary>
    public Tensor PrototypeScores(Batch batch)
    {
        using var scope = NewDisposeScope();
        return ConceptScores(EmbedItems(PadToMaxLength(batch.ItemSeq))).MoveToOuterDisposeScope();
    }

    /// <summary>The prototypes' scores against the attention-pooled sequence: <c>C softmax_L(tanh(x w1) w2)^T x</c>, [B, P].</summary>
    private Tensor ConceptScores(Tensor x)
    {
        using var scope = NewDisposeScope();
        var a = tanh(x.matmul(w1)).matmul(w2).softmax(1);                      // [B, L]
        var z = a.unsqueeze(1).bmm(x).squeeze(1);                                // [B, D]
        return z.matmul(C.weight!.t()).MoveToOuterDisposeScope();
    }

    public override LossOutput CalculateLoss(Batch batch)
    {
        if (SineLossType != SineLossType.NLL) return base.CalculateLoss(batch);
        using var scope = NewDisposeScope();
        var logits = Forward(batch).matmul(ItemEmbeddingWeight.t());
        var main = nn.functional.nll_loss(nn.functional.log_softmax(logits, 1), batch.PosItems);
        var reg = _regLossRatio * PrototypeRegulariser();
        var total = main + reg;
        return new LossOutput(total.MoveToOuterDisposeScope(), [new LossPart("main", main.MoveToOuterDisposeScope()), new LossPart("reg", reg.MoveToOuterDisposeScope())]);
    }

    /// <summary>
    /// RecBole's <c>calculate_reg_loss</c>: half the squared off-diagonal Frobenius norm of the prototypes' covariance
    /// <c>(C - rowmean)(C - rowmean)^T / E</c>.
    /// </summary>
    private Tensor PrototypeRegulariser()
    {
        using var scope = NewDisposeScope();
        var weight = C.weight!;
        var centred = weight - weight.mean([1], keepdim: true);
        var covariance = centred.matmul(centred.t()) / weight.shape[1];
        return ((covariance.norm().pow(2) - covariance.diag().norm().pow(2)) / 2).MoveToOuterDisposeScope();
    }

    /// <summary>RecBole's sequences are always max_item_list_length wide, and SINE's softmaxes run over all of them.</summary>
    private Tensor PadToMaxLength(Tensor itemSeq)
    {
        CheckItemSeq(itemSeq);
        var missing = Context.MaxSeqLength - itemSeq.shape[1];
        return missing == 0 ? itemSeq : nn.functional.pad(itemSeq, [0, missing], value: PaddingId);
    }
}
