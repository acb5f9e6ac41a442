using static TorchSharp.torch;

namespace SeqRec.Data;

/// <summary>
/// Builds a <see cref="Batch"/> from sample indices: fills managed int64 arrays, then makes each tensor with one
/// bulk copy. item_seq is as wide as the set's MaxSeqLength, left-aligned and right-padded with 0. Negatives and
/// user ids are added when the model needs them (<see cref="Modeling.BatchNeeds"/>).
/// </summary>
internal static class BatchBuilder
{
    /// <param name="negatives">One negative per sample, or null for no negatives.</param>
    /// <param name="withUsers">Whether to add the rows' user ids.</param>
    public static Batch Build(SampleSet set, int[] sampleIndices, long[]? negatives, bool withUsers)
    {
        var size = sampleIndices.Length;
        var width = set.MaxSeqLength;
        var itemSeq = new long[size * width];
        var lengths = new long[size];
        var targets = new long[size];
        var users = withUsers ? new long[size] : null;
        for (var row = 0; row < size; row++)
        {
            var sample = sampleIndices[row];
            var history = set.History(sample);
            var destination = itemSeq.AsSpan(row * width, history.Length);
            for (var j = 0; j < history.Length; j++) destination[j] = history[j];
            lengths[row] = history.Length;
            targets[row] = set.Target(sample);
            if (users is not null) users[row] = set.User(sample);
        }
        return new Batch(
            tensor(itemSeq, [size, width]),
            tensor(lengths, [size]),
            tensor(targets, [size]),
            sampleIndices,
            negatives is null ? null : tensor(negatives, [size]),
            users is null ? null : tensor(users, [size]));
    }
}
