using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Tests.Training;

/// <summary>A test-only recommender: mean of the history's item embeddings, dropout, one linear layer.</summary>
internal sealed class MeanPoolModel : ItemEmbeddingRecommender
{
    private readonly Dropout dropout;
    private readonly Linear dense;

    public MeanPoolModel(int nItems, int maxSeqLength, int hiddenSize = 8, double dropoutProb = 0.3, LossType lossType = LossType.CE)
        : base(nameof(MeanPoolModel), new ModelContext(nItems, maxSeqLength), hiddenSize, lossType)
    {
        dropout = nn.Dropout(dropoutProb);
        dense = nn.Linear(hiddenSize, hiddenSize);
        RegisterComponents();
    }

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var (itemSeq, itemSeqLen) = (batch.ItemSeq, batch.ItemSeqLen);
        var mask = itemSeq.ne(0).unsqueeze(-1).to_type(ScalarType.Float32);
        var pooled = (EmbedItems(itemSeq) * mask).sum(1) / itemSeqLen.unsqueeze(1).to_type(ScalarType.Float32);
        return dense.forward(dropout.forward(pooled)).MoveToOuterDisposeScope();
    }
}
