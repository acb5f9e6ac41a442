using SeqRec.Modeling;

namespace SeqRec.Data;

/// <summary>
/// Evaluation batches: the samples of a split in their order, <c>eval_batch_size</c> at a time, no negatives; user ids
/// and the model's evaluation transform as its <see cref="BatchNeeds"/> ask.
/// </summary>
public static class EvalBatches
{
    /// <summary>Each batch must be disposed by the consumer.</summary>
    public static IEnumerable<Batch> Enumerate(SampleSet set, int batchSize, BatchNeeds? needs = null, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Iterate(set, batchSize, needs ?? BatchNeeds.None, seed);
    }

    private static IEnumerable<Batch> Iterate(SampleSet set, int batchSize, BatchNeeds needs, long seed)
    {
        var index = 0;
        for (var start = 0; start < set.Count; start += batchSize)
        {
            var indices = new int[Math.Min(batchSize, set.Count - start)];
            for (var i = 0; i < indices.Length; i++) indices[i] = start + i;
            var batch = BatchBuilder.Build(set, indices, null, needs.UserIds);
            needs.EvaluationTransform?.Apply(batch, new BatchOrigin(seed, -1, index++));
            yield return batch;
        }
    }
}
