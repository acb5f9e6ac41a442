using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SeqRec.Evaluation;

/// <summary>
/// The 1-based rank of each sample's target among candidate items, computed by comparing every score with the
/// target's score (no sort, nothing materialised beyond the batch's score matrix).
/// <para>
/// Tie rule: rank = 1 + (items scoring strictly higher) + (items scoring exactly the same with a lower item id), i.e.
/// the position a stable descending sort by score, then by id, would give. RecBole takes <c>torch.topk</c> and checks
/// whether the target is inside; topk's order among equal scores is unspecified, so no rule reproduces it exactly,
/// and with continuous scores ties are rare. Counting only strictly higher items would rank the target first among
/// any tie and reward a model that scores everything alike; breaking ties by id does not.
/// </para>
/// Masked items (the padding item, and the history with <c>mask_history</c>) never count against the target, and
/// the target itself is never masked.
/// </summary>
public static class TargetRanks
{
    /// <summary>
    /// Ranks of <paramref name="targets"/> [B] (int64) in full-ranking <paramref name="scores"/> [B, n_items]
    /// (column 0, the padding item, never counts); <paramref name="history"/> [B, L] (int64, 0-padded) is masked when
    /// given. Reads the scores in place with vectorised comparisons: no temporary tensor, no sort.
    /// </summary>
    public static int[] FromFullScores(Tensor scores, Tensor targets, Tensor? history)
    {
        using var scope = NewDisposeScope();
        var rows = (int)scores.shape[0];
        var nItems = (int)scores.shape[1];
        var values = scores.to_type(ScalarType.Float32).contiguous();
        var targetIds = targets.to_type(ScalarType.Int64).data<long>().ToArray();
        var historyIds = history?.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
        var historyWidth = history is null ? 0 : (int)history.shape[1];
        var seenInRow = historyIds is null ? null : new int[nItems];

        var ranks = new int[rows];
        // A span addresses at most 2^31 - 1 bytes, so huge score matrices are read a block of rows at a time.
        var rowsPerBlock = Math.Max(1, int.MaxValue / sizeof(float) / nItems);
        for (var first = 0; first < rows; first += rowsPerBlock)
        {
            var count = Math.Min(rowsPerBlock, rows - first);
            using var block = values.narrow(0, first, count);
            var blockScores = MemoryMarshal.Cast<byte, float>(block.bytes);
            for (var row = first; row < first + count; row++)
            {
                var rowHistory = historyIds is null ? ReadOnlySpan<long>.Empty : historyIds.AsSpan(row * historyWidth, historyWidth);
                ranks[row] = RankInRow(blockScores.Slice((row - first) * nItems, nItems), (int)targetIds[row], rowHistory, seenInRow, row + 1);
            }
        }
        return ranks;
    }

    /// <param name="seen">Scratch of n_items entries marking history items already handled in this row.</param>
    /// <param name="rowStamp">A value unique to this row, so <paramref name="seen"/> never needs clearing.</param>
    private static int RankInRow(ReadOnlySpan<float> rowScores, int target, ReadOnlySpan<long> history, int[]? seen, int rowStamp)
    {
        var targetScore = rowScores[target];
        if (float.IsNaN(targetScore)) throw NaNError();
        // Column 0 is the padding item: never counted.
        var ahead = CountGreater(rowScores[1..], targetScore) + CountEqual(rowScores[1..target], targetScore);
        foreach (var id in history)
        {
            var item = (int)id;
            if (item <= 0 || item == target || seen![item] == rowStamp) continue;
            seen[item] = rowStamp;
            var score = rowScores[item];
            if (score > targetScore || (score == targetScore && item < target)) ahead--;
        }
        return 1 + ahead;
    }

    /// <summary>
    /// Ranks of each row's target (column 0 of <paramref name="candidates"/> [B, 1 + N]) among its sampled
    /// negatives (the other columns), given the candidates' <paramref name="scores"/> [B, 1 + N]. A negative drawn
    /// twice counts once, as in RecBole, which scatters sampled scores into a full item row. Negatives equal to the
    /// target, the padding item, or (when <paramref name="history"/> is given) a history item do not count.
    /// </summary>
    public static int[] FromSampledScores(Tensor scores, Tensor candidates, Tensor? history)
    {
        var rows = (int)candidates.shape[0];
        var width = (int)candidates.shape[1];
        using var scope = NewDisposeScope();
        var scoreValues = scores.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var ids = candidates.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
        var historyIds = history?.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
        var historyWidth = history is null ? 0 : (int)history.shape[1];

        var ranks = new int[rows];
        var ahead = new List<long>(width);
        for (var row = 0; row < rows; row++)
        {
            var offset = row * width;
            var targetId = ids[offset];
            var targetScore = scoreValues[offset];
            if (float.IsNaN(targetScore)) throw NaNError();
            var rowHistory = historyIds is null ? ReadOnlySpan<long>.Empty : historyIds.AsSpan(row * historyWidth, historyWidth);

            ahead.Clear();
            for (var c = 1; c < width; c++)
            {
                var id = ids[offset + c];
                var score = scoreValues[offset + c];
                var isAhead = score > targetScore || (score == targetScore && id < targetId);
                if (isAhead && id != targetId && id != 0 && !rowHistory.Contains(id)) ahead.Add(id);
            }
            ranks[row] = 1 + CountDistinct(ahead);
        }
        return ranks;
    }

    private static int CountDistinct(List<long> ids)
    {
        if (ids.Count < 2) return ids.Count;
        ids.Sort();
        var distinct = 1;
        for (var i = 1; i < ids.Count; i++)
        {
            if (ids[i] != ids[i - 1]) distinct++;
        }
        return distinct;
    }

    private static int CountGreater(ReadOnlySpan<float> values, float threshold)
    {
        var i = 0;
        var lanes = Vector<int>.Zero;
        var bound = new Vector<float>(threshold);
        for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            lanes -= Vector.GreaterThan(new Vector<float>(values[i..]), bound);
        var count = Vector.Sum(lanes);
        for (; i < values.Length; i++)
        {
            if (values[i] > threshold) count++;
        }
        return count;
    }

    private static int CountEqual(ReadOnlySpan<float> values, float threshold)
    {
        var i = 0;
        var lanes = Vector<int>.Zero;
        var bound = new Vector<float>(threshold);
        for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            lanes -= Vector.Equals(new Vector<float>(values[i..]), bound);
        var count = Vector.Sum(lanes);
        for (; i < values.Length; i++)
        {
            if (values[i] == threshold) count++;
        }
        return count;
    }

    private static SeqRecException NaNError() =>
        new Training.TrainingDivergedException("evaluation: the model scored a target item as NaN; its weights have diverged (try a lower learning_rate or set clip_grad_norm)");
}
