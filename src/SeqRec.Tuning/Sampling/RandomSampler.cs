using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Space;

namespace SeqRec.Tuning.Sampling;

/// <summary><c>random</c>: independent draws from every domain's prior, seeded per trial number.</summary>
public sealed class RandomSampler(SearchSpace space, int seed) : ISampler
{
    public ParamAssignment? Propose(IReadOnlyList<TrialRecord> history, int trialNumber) =>
        ProposeUnseen(space, history, Seeds.ForTrial(seed, trialNumber), random => space.Sample(random));

    /// <summary>
    /// Draws with <paramref name="draw"/> until the point is new; on a finite grid that keeps repeating, falls back
    /// to the first point not yet taken, and returns null once every point is taken.
    /// </summary>
    internal static ParamAssignment? ProposeUnseen(SearchSpace space, IReadOnlyList<TrialRecord> history, Random random, Func<Random, ParamAssignment> draw)
    {
        var taken = history.Select(t => t.Parameters.Hash).ToHashSet(StringComparer.Ordinal);
        if (space.GridSize is { } size && taken.Count >= size) return null;
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var point = draw(random);
            if (!taken.Contains(point.Hash)) return point;
        }
        if (space.GridSize is not null)
        {
            var remaining = space.GridPoints().Where(p => !taken.Contains(p.Hash)).ToArray();
            return remaining.Length == 0 ? null : remaining[random.Next(remaining.Length)];
        }
        return draw(random); // a continuous range repeating a point 64 times is a degenerate range; evaluate it anyway
    }
}
