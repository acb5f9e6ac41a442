using static TorchSharp.torch;

namespace SeqRec.Evaluation;

/// <summary>
/// Each sample's top-K recommended items, best first, as RecBole's <c>rec.items</c> (which it takes with
/// <c>torch.topk</c> over the evaluation scores). Equal scores are ordered by item id, the rule of
/// <see cref="TargetRanks"/>, so a list agrees with the target's rank; the padding item is never listed, and with
/// <c>mask_history</c> neither is a history item other than the target.
/// </summary>
public static class TopKLists
{
    /// <summary>[B × k] item ids, row-major, from full-ranking <paramref name="scores"/> [B, n_items].</summary>
    public static int[] FromFullScores(Tensor scores, Tensor targets, Tensor? history, int k)
    {
        using var scope = NewDisposeScope();
        var rows = (int)scores.shape[0];
        var nItems = (int)scores.shape[1];
        if (k > nItems - 1) throw new SeqRecException($"eval.topk: K={k} exceeds the {nItems - 1} items there are to recommend");
        var masked = scores.to_type(ScalarType.Float32).clone();
        masked.select(1, 0).fill_(float.NegativeInfinity);
        if (history is not null)
        {
            var targetIds = targets.to_type(ScalarType.Int64).unsqueeze(1);
            var targetScores = masked.gather(1, targetIds);
            masked.scatter_(1, history.to_type(ScalarType.Int64), full_like(history, float.NegativeInfinity, dtype: ScalarType.Float32));
            masked.scatter_(1, targetIds, targetScores);
        }
        var (values, indices) = masked.topk(k, dim: 1, largest: true, sorted: true);
        var kth = values.select(1, k - 1).unsqueeze(1);
        var tiedInRow = masked.eq(kth).sum(dim: 1).data<long>().ToArray();
        var tiedInList = values.eq(kth).sum(dim: 1).data<long>().ToArray();
        var topScores = values.contiguous().data<float>().ToArray();
        var topItems = indices.contiguous().data<long>().ToArray();

        var lists = new int[rows * k];
        for (var row = 0; row < rows; row++)
        {
            var list = lists.AsSpan(row * k, k);
            if (tiedInRow[row] > tiedInList[row])
            {
                // Items tied with the K-th score were left out; which ones topk kept is unspecified, so take the
                // lowest ids among them from a stable sort of the row.
                var (_, order) = masked[row].sort(dim: 0, descending: true, stable: true);
                var ids = order.narrow(0, 0, k).data<long>().ToArray();
                for (var i = 0; i < k; i++) list[i] = (int)ids[i];
                continue;
            }
            for (var i = 0; i < k; i++) list[i] = (int)topItems[row * k + i];
            OrderTiesById(list, topScores.AsSpan(row * k, k));
        }
        return lists;
    }

    /// <summary>
    /// [B × k] item ids from sampled <paramref name="scores"/> [B, 1 + N] of <paramref name="candidates"/> (target
    /// first): RecBole scatters them into a row of -inf, so a candidate drawn twice is listed once.
    /// </summary>
    public static int[] FromSampledScores(Tensor scores, Tensor candidates, Tensor? history, int k)
    {
        using var scope = NewDisposeScope();
        var rows = (int)candidates.shape[0];
        var width = (int)candidates.shape[1];
        var scoreValues = scores.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var ids = candidates.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
        var historyIds = history?.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
        var historyWidth = history is null ? 0 : (int)history.shape[1];

        var lists = new int[rows * k];
        var rowCandidates = new List<(int Item, float Score)>(width);
        var seen = new HashSet<int>();
        for (var row = 0; row < rows; row++)
        {
            rowCandidates.Clear();
            seen.Clear();
            var target = (int)ids[row * width];
            var rowHistory = historyIds is null ? ReadOnlySpan<long>.Empty : historyIds.AsSpan(row * historyWidth, historyWidth);
            for (var c = 0; c < width; c++)
            {
                var item = (int)ids[row * width + c];
                if (item == 0 || (item != target && rowHistory.Contains(item)) || !seen.Add(item)) continue;
                rowCandidates.Add((item, scoreValues[row * width + c]));
            }
            if (rowCandidates.Count < k)
                throw new SeqRecException($"eval.topk: K={k} exceeds the {rowCandidates.Count} distinct candidates of a sampled evaluation row; list metrics need K at most the candidates (raise N of uniN or lower K)");
            rowCandidates.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Item.CompareTo(b.Item));
            for (var i = 0; i < k; i++) lists[row * k + i] = rowCandidates[i].Item;
        }
        return lists;
    }

    /// <summary>Within runs of equal scores (topk's order there is unspecified), puts the items in id order.</summary>
    private static void OrderTiesById(Span<int> items, ReadOnlySpan<float> scores)
    {
        for (var start = 0; start < items.Length;)
        {
            var end = start + 1;
            while (end < items.Length && scores[end] == scores[start]) end++;
            if (end - start > 1) items[start..end].Sort();
            start = end;
        }
    }
}
