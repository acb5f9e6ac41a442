using SeqRec.Data;
using SeqRec.Modeling;
using SeqRec.Models.Layers;
using TorchSharp.Modules;
using TransformerEncoder = SeqRec.Models.Layers.TransformerEncoder;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Models;

/// <summary>
/// SASRec (Kang and McAuley, ICDM 2018) as RecBole 1.2.1 computes it: <c>dropout(LayerNorm(item_emb + pos_emb))</c>
/// through post-LN transformer layers under the causal + padding mask; the output at the last real item.
/// </summary>
[Model("sasrec", DisplayName = "SASRec", Paper = "Kang and McAuley, Self-Attentive Sequential Recommendation, ICDM 2018")]
public sealed class SasRec : ItemEmbeddingRecommender
{
    private readonly Embedding position_embedding;
    private readonly TransformerEncoder trm_encoder;
    private readonly LayerNorm LayerNorm;
    private readonly HashedDropout dropout;
    private readonly double _layerNormEps;

    public SasRec(SasRecConfig config, ModelContext context)
        : base(nameof(SasRec), context, config.HiddenSize, config.LossType)
    {
        position_embedding = nn.Embedding(context.MaxSeqLength, config.HiddenSize);
        trm_encoder = new TransformerEncoder(config.Transformer);
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
        var input = dropout.ApplyInPlace(NormalizedItemEmbeddings(itemSeq, position_embedding.weight, LayerNorm, _layerNormEps));
        using var mask = CausalPaddingMask.ForRealRows(itemSeq);
        return trm_encoder.ForwardAt(input, mask, itemSeqLen - 1).MoveToOuterDisposeScope();
    }
}
