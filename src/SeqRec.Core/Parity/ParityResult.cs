namespace SeqRec.Parity;

/// <summary>How a fixture fared: every output matched, one did not, or no registered model has its name.</summary>
public enum ParityStatus { Passed, Failed, NotRegistered }

/// <summary>One compared output: the worst absolute difference (tensors) or relative difference (losses).</summary>
/// <param name="Output">e.g. <c>forward</c>, <c>full_sort_scores</c>, <c>loss[CE]</c>, <c>loss_without_reg[BPR]</c>.</param>
/// <param name="Difference">max |Δ| for tensors, |Δ| / |expected| for losses; +∞ for a wrong shape or a NaN.</param>
/// <param name="Detail">Where the worst difference is, or why the output could not be compared.</param>
public sealed record ParityComparison(string Output, double Difference, double Tolerance, bool IsRelative, string Detail)
{
    public bool Passed => Difference <= Tolerance;
}

/// <summary>The result of one fixture: its model, each compared output, and an error if the model could not even run.</summary>
public sealed record ParityResult(string Fixture, string Model, string? ModelId, IReadOnlyList<ParityComparison> Comparisons, string? Error, IReadOnlyList<string> Unchecked)
{
    public ParityStatus Status => ModelId is null
        ? ParityStatus.NotRegistered
        : Error is null && Comparisons.Count > 0 && Comparisons.All(c => c.Passed) ? ParityStatus.Passed : ParityStatus.Failed;
}
