using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SeqRec.Evaluation;

/// <summary>
/// The target's rank with ties averaged, and how many items it was ranked among: what RecBole's GAUC reads
/// (<c>rec.meanrank</c>). RecBole sorts each score row and gives a run of equal scores the mean of their ranks; only
/// items with a finite score count (padding and masked items score −∞), so for the target
/// rank = 1 + (candidates scoring higher) + (other candidates scoring the same) / 2.
/// </summary>
public readonly record struct TiedRank(double Rank, int Candidates);

public static class TiedRanks
{
    /// <summary>From full-ranking <paramref name="scores"/> [B, n_items]; column 0 never counts, nor (when given) the history other than the target.</summary>
    public static TiedRank[] FromFullScores(Tensor scores, Tensor targets, Tensor? history)
    {
        using var scope = NewDisposeScope();
        var rows = (int)scores.shape[0];
        var nItems = (int)scores.shape[1];
        var values = scores.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var targetIds = targets.to_type(ScalarType.Int64).data<long>().ToArray();
        var historyIds = history?.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
        var historyWidth = history is null ? 0 : (int)history.shape[1];
        var result = new TiedRank[rows];
        var masked = new HashSet<int>();
        for (var row = 0; row < rows; row++)
        {
            var rowScores = values.AsSpan(row * nItems + 1, nItems - 1);   // column 0, padding, never counts
            var target = (int)targetIds[row];
            var targetScore = values[row * nItems + target];
            long higher = 0, tied = 0, candidates = 0;
            foreach (var score in rowScores)
            {
                if (float.IsNegativeInfinity(score)) continue;
                candidates++;
                if (score > targetScore) higher++;
                else if (score == targetScore) tied++;
            }
            masked.Clear();
            if (historyIds is not null)
            {
                foreach (var id in historyIds.AsSpan(row * historyWidth, historyWidth))
                {
                    var item = (int)id;
                    if (item <= 0 || item == target || !masked.Add(item)) continue;
                    var score = values[row * nItems + item];
                    if (float.IsNegativeInfinity(score)) continue;
                    candidates--;
                    if (score > targetScore) higher--;
                    else if (score == targetScore) tied--;
                }
            }
            result[row] = new TiedRank(1 + higher + (tied - 1) / 2.0, (int)candidates);
        }
        return result;
    }

    /// <summary>From sampled <paramref name="scores"/> [B, 1 + N] of <paramref name="candidates"/> (target first); a candidate drawn twice counts once.</summary>
    public static TiedRank[] FromSampledScores(Tensor scores, Tensor candidates, Tensor? history)
    {
        using var scope = NewDisposeScope();
        var rows = (int)candidates.shape[0];
        var width = (int)candidates.shape[1];
        var values = scores.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var ids = candidates.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
        var historyIds = history?.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
        var historyWidth = history is null ? 0 : (int)history.shape[1];
        var result = new TiedRank[rows];
        var seen = new HashSet<long>();
        for (var row = 0; row < rows; row++)
        {
            seen.Clear();
            var target = ids[row * width];
            var targetScore = values[row * width];
            var rowHistory = historyIds is null ? ReadOnlySpan<long>.Empty : historyIds.AsSpan(row * historyWidth, historyWidth);
            long higher = 0, tied = 0, count = 0;
            for (var c = 0; c < width; c++)
            {
                var id = ids[row * width + c];
                var score = values[row * width + c];
                if (id == 0 || (id != target && rowHistory.Contains(id)) || !seen.Add(id) || float.IsNegativeInfinity(score)) continue;
                count++;
                if (score > targetScore) higher++;
                else if (score == targetScore) tied++;
            }
            result[row] = new TiedRank(1 + higher + (tied - 1) / 2.0, (int)count);
        }
        return result;
    }
}

/// <summary>
/// RecBole's GAUC for one target per sample: each sample's AUC is (n − rank) / (n − 1) over its n candidates with the
/// tie-averaged rank, samples without a negative are left out, and GAUC is the mean (RecBole weights by the number of
/// positives, 1 here).
/// </summary>
public sealed class GaucAccumulator
{
    private double _sum;
    private long _count;

    public void Add(TiedRank rank)
    {
        if (rank.Candidates < 2) return;
        _sum += (rank.Candidates - rank.Rank) / (rank.Candidates - 1.0);
        _count++;
    }

    public double Result() => _count == 0 ? 0.0 : MetricRounding.Round(_sum / _count);
}
