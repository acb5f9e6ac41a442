using SeqRec;
using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Acme.Models;

/// <summary>The <c>[toymean]</c> section.</summary>
[ConfigSection("toymean")]
public sealed partial record ToyMeanConfig
{
    [Param(Min = 1, Max = 4096, Help = "Embedding size.")]
    public int EmbeddingSize { get; init; } = 16;

    [Param(Help = "CE or BPR.")]
    public LossType LossType { get; init; } = LossType.CE;
}

/// <summary>Mean of the history's item embeddings through one linear layer: small, but it trains.</summary>
[Model("toymean", DisplayName = "ToyMean", Paper = "A third party's test model")]
public sealed class ToyMean : ItemEmbeddingRecommender
{
    private readonly Linear dense;

    public ToyMean(ToyMeanConfig config, ModelContext context)
        : base(nameof(ToyMean), context, config.EmbeddingSize, config.LossType)
    {
        dense = nn.Linear(config.EmbeddingSize, config.EmbeddingSize);
        RegisterComponents();
        InitializeWeights(0.02);
    }

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var mask = batch.ItemSeq.ne(0).unsqueeze(-1).to_type(ScalarType.Float32);
        var pooled = (EmbedItems(batch.ItemSeq) * mask).sum(1) / batch.ItemSeqLen.unsqueeze(1).to_type(ScalarType.Float32);
        return dense.call(pooled).MoveToOuterDisposeScope();
    }
}

/// <summary>This assembly's models.</summary>
[ModelCatalog]
public static partial class AcmeModels;
