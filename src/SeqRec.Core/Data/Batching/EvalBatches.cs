namespace SeqRec.Data;

/// <summary>Evaluation batches: the samples of a split in their order, <c>eval_batch_size</c> at a time, no negatives.</summary>
public static class EvalBatches
{
    /// <summary>Each batch must be disposed by the consumer.</summary>
    public static IEnumerable<Batch> Enumerate(SampleSet set, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Iterate(set, batchSize);
    }

    private static IEnumerable<Batch> Iterate(SampleSet set, int batchSize)
    {
        for (var start = 0; start < set.Count; start += batchSize)
        {
            var indices = new int[Math.Min(batchSize, set.Count - start)];
            for (var i = 0; i < indices.Length; i++) indices[i] = start + i;
            yield return BatchBuilder.Build(set, indices, null);
        }
    }
}
