using SeqRec.Data;
using SeqRec.Modeling;
using SeqRec.Models.SessionGraph;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// SR-GNN (Wu et al., AAAI 2019) as RecBole 1.2.1 computes it: each sequence becomes a session graph over its distinct
/// items (<see cref="SessionGraphs"/>), a gated graph network propagates the item embeddings along its
/// normalised in- and out-edges, and a soft-attention readout over the real positions, joined with the state of the
/// last item, gives the session representation <c>linear_transform([a ; h_t])</c>.
/// </summary>
[Model("srgnn", DisplayName = "SRGNN", Paper = "Wu, Tang, Zhu, Wang, Xie and Tan, Session-based Recommendation with Graph Neural Networks, AAAI 2019")]
public sealed class SrGnn : ItemEmbeddingRecommender
{
    private readonly GatedGraphCell gnn;
    private readonly Linear linear_one;
    private readonly Linear linear_two;
    private readonly Linear linear_three;
    private readonly Linear linear_transform;

    public SrGnn(SrGnnConfig config, ModelContext context)
        : base(nameof(SrGnn), context, config.EmbeddingSize, config.LossType)
    {
        var size = config.EmbeddingSize;
        gnn = new GatedGraphCell(size, config.Step, messageBiases: true);
        linear_one = nn.Linear(size, size, hasBias: true);
        linear_two = nn.Linear(size, size, hasBias: true);
        linear_three = nn.Linear(size, 1, hasBias: false);
        linear_transform = nn.Linear(2 * size, size, hasBias: true);
        RegisterComponents();
        Initialize(size);
    }

    /// <summary>RecBole's SRGNN initialisation: every parameter, the item embedding included, U(-1/sqrt(E), 1/sqrt(E)).</summary>
    private void Initialize(int size)
    {
        using var noGrad = no_grad();
        var bound = 1.0 / Math.Sqrt(size);
        foreach (var parameter in parameters()) parameter.uniform_(-bound, bound);
    }

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var (itemSeq, itemSeqLen) = (batch.ItemSeq, batch.ItemSeqLen);
        var seqHidden = GraphStates(itemSeq);                                  // [B, L, E]
        var last = GatherLast(seqHidden, itemSeqLen);                                 // h_t [B, E]
        var alpha = linear_three.call(torch.sigmoid(linear_one.call(last).unsqueeze(1) + linear_two.call(seqHidden)));
        var real = itemSeq.gt(0).unsqueeze(2).to_type(seqHidden.dtype);
        var attended = (alpha * seqHidden * real).sum(1);
        return linear_transform.call(cat([attended, last], 1)).MoveToOuterDisposeScope();
    }

    /// <summary>The graph network's state of every position's node, [B, L, E].</summary>
    private Tensor GraphStates(Tensor itemSeq)
    {
        CheckItemSeq(itemSeq);
        using var graph = SessionGraphs.Build(itemSeq, ItemEmbedding.weight!.dtype);
        return gnn.PositionStates(graph, EmbedItems(graph.Items));
    }
}
