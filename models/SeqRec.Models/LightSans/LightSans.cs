using SeqRec.Data;
using SeqRec.Modeling;
using SeqRec.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Models;

/// <summary>
/// LightSANs (Fan et al., SIGIR 2021) as RecBole 1.2.1 computes it: <c>dropout(LayerNorm(item_emb))</c> through the
/// light encoder, every layer given the raw position embedding, no mask; the output at the last real item.
/// </summary>
[Model("lightsans", DisplayName = "LightSANs", Paper = "Fan et al., Lighter and Better: Low-Rank Decomposed Self-Attention Networks for Next-Item Recommendation, SIGIR 2021")]
public sealed class LightSans : ItemEmbeddingRecommender
{
    private readonly Embedding position_embedding;
    private readonly LightTransformerEncoder trm_encoder;
    private readonly LayerNorm LayerNorm;
    private readonly HashedDropout dropout;
    private readonly double _layerNormEps;

    public LightSans(LightSansConfig config, ModelContext context)
        : base(nameof(LightSans), context, config.HiddenSize, config.LossType)
    {
        position_embedding = nn.Embedding(context.MaxSeqLength, config.HiddenSize);
        trm_encoder = new LightTransformerEncoder(config.Transformer, config.KInterests);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new HashedDropout(config.HiddenDropoutProb);
        _layerNormEps = config.LayerNormEps;
        RegisterComponents();
        InitializeWeights(config.InitializerRange);
    }

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var (itemSeq, itemSeqLen) = (batch.ItemSeq, batch.ItemSeqLen);
        var input = dropout.ApplyInPlace(NormalizedItemEmbeddings(itemSeq, null, LayerNorm, _layerNormEps));
        var positions = position_embedding.weight!.narrow(0, 0, itemSeq.shape[1]);
        return trm_encoder.ForwardAt(input, positions, itemSeqLen - 1).MoveToOuterDisposeScope();
    }
}
