using SeqRec.Data;
using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Evaluation;

/// <summary>One recommended item: its id in the model's vocabulary and its score.</summary>
public readonly record struct ScoredItem(int Item, float Score);

/// <summary>The top-k recommendations of a model for item sequences (the <c>recommend</c> command's core).</summary>
public static class TopItems
{
    /// <summary>
    /// The <paramref name="k"/> best items for each row of <paramref name="batch"/>, best first; never the padding
    /// item, and with <paramref name="excludeHistory"/> never an item of the row's sequence itself, or of
    /// <paramref name="excluded"/>'s list for the row when given (a whole history, longer than the sequence the model
    /// reads). Ties keep the lower id first.
    /// </summary>
    public static ScoredItem[][] For(SequentialRecommender model, Batch batch, int k, bool excludeHistory, IReadOnlyList<IReadOnlyList<int>>? excluded = null)
    {
        if (k < 1) throw new SeqRecException($"topk: {k} is below the minimum 1");
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var scores = model.FullSortScores(batch).to_type(ScalarType.Float32);
            if (excludeHistory && excluded is not null)
            {
                for (var row = 0; row < excluded.Count; row++)
                {
                    if (excluded[row].Count == 0) continue;
                    using var items = tensor(excluded[row].Select(i => (long)i).ToArray(), ScalarType.Int64);
                    scores[row].index_fill_(0, items, double.NegativeInfinity);
                }
            }
            else if (excludeHistory)
            {
                scores.scatter_(1, batch.ItemSeq, full_like(batch.ItemSeq, double.NegativeInfinity, dtype: ScalarType.Float32));
            }
            scores.select(1, 0).fill_(double.NegativeInfinity);
            var count = (int)Math.Min(k, scores.shape[1]);
            // A stable descending sort puts equal scores in id order; topk alone leaves their order unspecified.
            var (sorted, order) = scores.sort(dim: 1, descending: true, stable: true);
            var topScores = sorted.narrow(1, 0, count).contiguous().data<float>().ToArray();
            var topItems = order.narrow(1, 0, count).contiguous().data<long>().ToArray();
            return [.. Enumerable.Range(0, (int)scores.shape[0]).Select(row => Enumerable.Range(row * count, count)
                .Where(i => !float.IsNegativeInfinity(topScores[i]))
                .Select(i => new ScoredItem((int)topItems[i], topScores[i]))
                .ToArray())];
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
