using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// STAMP (Liu et al., KDD 2018) as RecBole 1.2.1 computes it: the general interest <c>m_s</c> is the sum of the
/// embeddings over every position of the right-padded sequence (padding rows included) divided by the real length;
/// attention weights <c>w0(sigmoid(w1 x_i + w2 x_t + w3 m_s + b_a))</c> are used as they are (no softmax, no mask);
/// the output is <c>tanh(mlp_a(sum_i alpha_i x_i + m_s)) * tanh(mlp_b(x_t))</c> with <c>x_t</c> the last real item.
/// </summary>
[Model("stamp", DisplayName = "STAMP", Paper = "Liu, Zeng, Mokhosi and Zhang, STAMP: Short-Term Attention/Memory Priority Model for Session-based Recommendation, KDD 2018",
    Remarks = "As RecBole 1.2.1: the attention has no softmax and no padding mask, and the mean memory sums all L positions (padding rows included) divided by the real length.")]
public sealed class Stamp : ItemEmbeddingRecommender
{
    private readonly Linear w1;
    private readonly Linear w2;
    private readonly Linear w3;
    private readonly Linear w0;
    private readonly Parameter b_a;
    private readonly Linear mlp_a;
    private readonly Linear mlp_b;

    public Stamp(StampConfig config, ModelContext context)
        : base(nameof(Stamp), context, config.EmbeddingSize, config.LossType)
    {
        var size = config.EmbeddingSize;
        w1 = nn.Linear(size, size, hasBias: false);
        w2 = nn.Linear(size, size, hasBias: false);
        w3 = nn.Linear(size, size, hasBias: false);
        w0 = nn.Linear(size, 1, hasBias: false);
        b_a = nn.Parameter(zeros(size));
        mlp_a = nn.Linear(size, size, hasBias: true);
        mlp_b = nn.Linear(size, size, hasBias: true);
        RegisterComponents();
        Initialize();
    }

    /// <summary>RecBole's STAMP initialisation: embeddings N(0, 0.002), Linear weights N(0, 0.05), biases 0; <c>b_a</c> stays 0.</summary>
    private void Initialize()
    {
        using var noGrad = no_grad();
        ItemEmbedding.weight!.normal_(0, 0.002);
        foreach (var linear in new[] { w1, w2, w3, w0, mlp_a, mlp_b })
        {
            linear.weight!.normal_(0, 0.05);
            linear.bias?.zero_();
        }
    }

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var (itemSeq, itemSeqLen) = (batch.ItemSeq, batch.ItemSeqLen);
        var memory = EmbedItems(itemSeq);                                               // [B, L, E]
        var last = GatherLast(memory, itemSeqLen);                                      // [B, E]
        var general = memory.sum(1) / itemSeqLen.unsqueeze(1).to_type(memory.dtype);   // m_s, padding rows included
        var score = w1.call(memory) + (w2.call(last) + w3.call(general) + b_a).unsqueeze(1);
        var alpha = w0.call(torch.sigmoid(score));                                      // [B, L, 1], no softmax
        var attended = alpha.transpose(1, 2).matmul(memory).squeeze(1) + general;      // m_a
        var output = torch.tanh(mlp_a.call(attended)) * torch.tanh(mlp_b.call(last));
        return output.MoveToOuterDisposeScope();
    }
}
