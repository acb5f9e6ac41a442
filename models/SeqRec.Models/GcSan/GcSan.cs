using SeqRec.Data;
using SeqRec.Modeling;
using SeqRec.Models.Layers;
using SeqRec.Models.SessionGraph;
using static TorchSharp.torch;
using TransformerEncoder = SeqRec.Models.Layers.TransformerEncoder;

namespace SeqRec.Models;

/// <summary>
/// GC-SAN (Xu et al., IJCAI 2019) as RecBole 1.2.1 computes it: SR-GNN's session graph and gated graph network (whose
/// messages have no biases here) give every position a state; post-LN self-attention layers under the causal + padding
/// mask run directly on those states (no position embedding, no input LayerNorm); the output is
/// <c>weight * attention(last) + (1 - weight) * state(last)</c>. The loss adds <c>reg_weight * ||item_embedding||_F / n_items</c>.
/// </summary>
[Model("gcsan", DisplayName = "GCSAN", Paper = "Xu, Zhao, Liu, Zhou, Sheng, Zhuang, Fang and Zhou, Graph Contextualized Self-Attention Network for Session-based Recommendation, IJCAI 2019")]
public sealed class GcSan : ItemEmbeddingRecommender
{
    private readonly GatedGraphCell gnn;
    private readonly TransformerEncoder self_attention;
    private readonly double _weight;
    private readonly double _regWeight;

    public GcSan(GcSanConfig config, ModelContext context)
        : base(nameof(GcSan), context, config.HiddenSize, config.LossType)
    {
        gnn = new GatedGraphCell(config.HiddenSize, config.Step, messageBiases: false);
        self_attention = new TransformerEncoder(config.Transformer);
        _weight = config.Weight;
        _regWeight = config.RegWeight;
        RegisterComponents();
        // As RecBole: the graph network's own U(-1/sqrt(H), 1/sqrt(H)) stays on w_ih, w_hh, b_ih, b_hh; every Linear
        // (its edge layers included) and the embedding then get N(0, initializer_range), LayerNorms 1 and 0.
        InitializeWeights(config.InitializerRange);
    }

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var (itemSeq, itemSeqLen) = (batch.ItemSeq, batch.ItemSeqLen);
        CheckItemSeq(itemSeq);
        using var graph = SessionGraphs.Build(itemSeq, ItemEmbedding.weight!.dtype);
        var seqHidden = gnn.PositionStates(graph, EmbedItems(graph.Items));            // [B, L, H]
        var last = GatherLast(seqHidden, itemSeqLen);
        using var mask = CausalPaddingMask.ForRealRows(itemSeq);
        var attended = self_attention.ForwardAt(seqHidden, mask, itemSeqLen - 1);
        return (attended * _weight + last * (1 - _weight)).MoveToOuterDisposeScope();
    }

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var main = base.CalculateLoss(batch).Total;
        var table = ItemEmbedding.weight!;
        var reg = table.norm() / table.shape[0] * _regWeight;
        return new LossOutput((main + reg).MoveToOuterDisposeScope(),
            [new LossPart("main", main.MoveToOuterDisposeScope()), new LossPart("reg", reg.MoveToOuterDisposeScope())]);
    }
}
