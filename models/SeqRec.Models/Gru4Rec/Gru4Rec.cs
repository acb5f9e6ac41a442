using SeqRec.Data;
using SeqRec.Kernels;
using SeqRec.Modeling;
using SeqRec.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// GRU4Rec (Tan et al., DLRS 2016) as RecBole 1.2.1 computes it: item embeddings, dropout, a bias-free GRU over all L
/// positions (padding included), a dense projection back to the embedding size, the state at the last real item.
/// </summary>
[Model("gru4rec", DisplayName = "GRU4Rec", Paper = "Tan, Xu and Liu, Improved Recurrent Neural Networks for Session-based Recommendations, DLRS 2016",
    Remarks = "As RecBole 1.2.1: the GRU also runs over the padding positions, whose embedding row is not zero (RecBole re-initialises it), before the output is read at the last real item.")]
public sealed class Gru4Rec : ItemEmbeddingRecommender
{
    private readonly HashedDropout emb_dropout;
    private readonly GRU gru_layers;
    private readonly Linear dense;

    public Gru4Rec(Gru4RecConfig config, ModelContext context)
        : base(nameof(Gru4Rec), context, config.EmbeddingSize, config.LossType)
    {
        emb_dropout = new HashedDropout(config.DropoutProb);
        gru_layers = nn.GRU(config.EmbeddingSize, config.HiddenSize, config.NumLayers, bias: false, batchFirst: true);
        dense = nn.Linear(config.HiddenSize, config.EmbeddingSize);
        RegisterComponents();
        InitializeGru4RecWeights();
    }

    /// <summary>
    /// RecBole's initialisation: xavier-normal item embeddings (the padding row too), xavier-uniform on the first GRU
    /// layer's two weight matrices; deeper GRU layers and <c>dense</c> keep their default initialisation.
    /// </summary>
    private void InitializeGru4RecWeights()
    {
        using var noGrad = no_grad();
        nn.init.xavier_normal_(ItemEmbedding.weight!);
        var gruWeights = gru_layers.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        nn.init.xavier_uniform_(gruWeights["weight_hh_l0"]);
        nn.init.xavier_uniform_(gruWeights["weight_ih_l0"]);
    }

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var input = emb_dropout.call(EmbedItems(batch.ItemSeq));
        return dense.call(GruStack.LastOutputs(gru_layers, input, batch.ItemSeqLen, Kernels)).MoveToOuterDisposeScope();
    }
}
