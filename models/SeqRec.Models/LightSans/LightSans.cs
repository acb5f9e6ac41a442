using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>LightSANs (Fan et al., SIGIR 2021). The encoder lands with the models issue.</summary>
[Model("lightsans", DisplayName = "LightSANs", Paper = "Fan et al., Lighter and Better: Low-Rank Decomposed Self-Attention Networks for Next-Item Recommendation, SIGIR 2021")]
public sealed class LightSans(LightSansConfig config, ModelContext context)
    : SequentialRecommender<LightSansConfig>(nameof(LightSans), config, context, config.HiddenSize, config.LossType)
{
    public override Tensor ItemEmbeddingWeight => throw new NotImplementedException("models issue");

    public override Tensor Encode(Tensor itemSeq, Tensor itemSeqLen) => throw new NotImplementedException("models issue");
}
