using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Tests.Training;

/// <summary>
/// A test-only recommender: mean of the history's item embeddings, dropout, one linear layer; with a regulariser
/// weight, its loss has two named parts (<c>main</c> and <c>reg</c>, the dense weight's Frobenius norm).
/// </summary>
internal sealed class MeanPoolModel : ItemEmbeddingRecommender
{
    private readonly Dropout dropout;
    private readonly Linear dense;
    private readonly double _regWeight;

    public MeanPoolModel(int nItems, int maxSeqLength, int hiddenSize = 8, double dropoutProb = 0.3, LossType lossType = LossType.CE, double regWeight = 0)
        : base(nameof(MeanPoolModel), new ModelContext(nItems, maxSeqLength), hiddenSize, lossType)
    {
        _regWeight = regWeight;
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

    public override LossOutput CalculateLoss(Batch batch)
    {
        if (_regWeight == 0) return base.CalculateLoss(batch);
        var main = base.CalculateLoss(batch).Total;
        var reg = dense.weight!.norm() * _regWeight;
        return new LossOutput(main + reg, [new LossPart("main", main), new LossPart("reg", reg)]);
    }
}
