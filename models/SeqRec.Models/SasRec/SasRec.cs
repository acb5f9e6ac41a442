using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>SASRec (Kang and McAuley, ICDM 2018). The encoder lands with the models issue.</summary>
[Model("sasrec", DisplayName = "SASRec", Paper = "Kang and McAuley, Self-Attentive Sequential Recommendation, ICDM 2018")]
public sealed class SasRec(SasRecConfig config, ModelContext context)
    : SequentialRecommender<SasRecConfig>(nameof(SasRec), config, context, config.HiddenSize, config.LossType)
{
    public override Tensor ItemEmbeddingWeight => throw new NotImplementedException("models issue");

    public override Tensor Encode(Tensor itemSeq, Tensor itemSeqLen) => throw new NotImplementedException("models issue");
}
