using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace SeqRec.Tests.Training;

/// <summary>
/// A test-only recommender with known scores: the scores of a sample are row <c>item_seq[:, 0]</c> (its first
/// history item) of a fixed table [rows, n_items]. Item embeddings are the identity, so full-sort scores and
/// <c>Predict</c> both read the table through the base class's code.
/// </summary>
internal sealed class FixedScoresModel : ItemEmbeddingRecommender
{
    private readonly Tensor _table;
    private readonly Tensor _identity;

    public FixedScoresModel(float[,] table, int maxSeqLength = 4)
        : base(nameof(FixedScoresModel), new ModelContext(table.GetLength(1), maxSeqLength), table.GetLength(1), LossType.CE)
    {
        _table = tensor(table);
        _identity = eye(table.GetLength(1));
    }

    public override Tensor ItemEmbeddingWeight => _identity;

    public override Tensor Forward(Batch batch) => _table.index_select(0, batch.ItemSeq.select(1, 0));
}
