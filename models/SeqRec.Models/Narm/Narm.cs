using SeqRec.Data;
using SeqRec.Kernels;
using SeqRec.Modeling;
using SeqRec.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// NARM (Li et al., CIKM 2017) as RecBole 1.2.1 computes it: a bias-free GRU over the item embeddings; the global
/// encoding is the state at the last real item, the local one a sum of all states weighted by an attention score that
/// padding positions zero out (no softmax); the two concatenated and projected to the embedding size.
/// </summary>
[Model("narm", DisplayName = "NARM", Paper = "Li, Ren, Chen, Ren, Lian and Ma, Neural Attentive Session-based Recommendation, CIKM 2017",
    Remarks = "As RecBole 1.2.1: the attention has no softmax, and the padding mask is applied inside it, before v_t.")]
public sealed class Narm : ItemEmbeddingRecommender
{
    private readonly HashedDropout emb_dropout;
    private readonly GRU gru;
    private readonly Linear a_1;
    private readonly Linear a_2;
    private readonly Linear v_t;
    private readonly HashedDropout ct_dropout;
    private readonly Linear b;

    public Narm(NarmConfig config, ModelContext context)
        : base(nameof(Narm), context, config.EmbeddingSize, config.LossType)
    {
        var hidden = config.HiddenSize;
        emb_dropout = new HashedDropout(config.DropoutProbs[0]);
        gru = nn.GRU(config.EmbeddingSize, hidden, config.NLayers, bias: false, batchFirst: true);
        a_1 = nn.Linear(hidden, hidden, hasBias: false);
        a_2 = nn.Linear(hidden, hidden, hasBias: false);
        v_t = nn.Linear(hidden, 1, hasBias: false);
        ct_dropout = new HashedDropout(config.DropoutProbs[1]);
        b = nn.Linear(2 * hidden, config.EmbeddingSize, hasBias: false);
        RegisterComponents();
        InitializeNarmWeights();
    }

    /// <summary>RecBole's initialisation: xavier-normal on the item embedding (padding row too) and every linear layer; the GRU keeps its default.</summary>
    private void InitializeNarmWeights()
    {
        using var noGrad = no_grad();
        nn.init.xavier_normal_(ItemEmbedding.weight!);
        foreach (var linear in new[] { a_1, a_2, v_t, b })
            nn.init.xavier_normal_(linear.weight!);
    }

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var itemSeq = batch.ItemSeq;
        var input = emb_dropout.call(EmbedItems(itemSeq));
        // The mask below zeroes every position after the length, and v_t has no bias: those states never count.
        var states = GruStack.RunUpToLengths(gru, input, batch.ItemSeqLen, Kernels);
        var global = GatherLast(states, batch.ItemSeqLen);
        var mask = itemSeq.gt(0).unsqueeze(2).to_type(states.dtype);
        var alpha = v_t.call(mask * sigmoid(a_1.call(states) + a_2.call(global).unsqueeze(1)));
        var local = (alpha * states).sum(1);
        var encoding = ct_dropout.call(cat([local, global], 1));
        return b.call(encoding).MoveToOuterDisposeScope();
    }
}
