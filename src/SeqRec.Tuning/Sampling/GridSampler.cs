using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Space;

namespace SeqRec.Tuning.Sampling;

/// <summary>
/// <c>exhaustive</c>: every grid point once, in an order shuffled by the seed (RecBole's order is random too).
/// Each proposal is the first point of that order that no trial has taken yet, so workers sharing a study split
/// the grid between them.
/// </summary>
public sealed class GridSampler : ISampler
{
    private readonly IReadOnlyList<ParamAssignment> _order;

    public GridSampler(SearchSpace space, int seed)
    {
        if (!space.IsGrid)
        {
            var continuous = space.Domains.Where(d => !d.IsDiscrete).Select(d => d.Path);
            throw new SeqRecException($"{space.Origin}: exhaustive search needs a finite grid, but {string.Join(", ", continuous)} is a continuous range; use choice or quniform, or --algo random/bayes");
        }
        var points = space.GridPoints().ToArray();
        new Random(seed).Shuffle(points);
        _order = points;
    }

    public int Count => _order.Count;

    public ParamAssignment? Propose(IReadOnlyList<TrialRecord> history, int trialNumber)
    {
        var taken = history.Select(t => t.Parameters.Hash).ToHashSet(StringComparer.Ordinal);
        return _order.FirstOrDefault(p => !taken.Contains(p.Hash));
    }
}
