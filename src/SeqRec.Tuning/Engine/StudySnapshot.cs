namespace SeqRec.Tuning.Engine;

/// <summary>The trials of a study at one moment, with its best trial and how many trials it plans.</summary>
public sealed record StudySnapshot(string Study, IReadOnlyList<TrialRecord> Trials, int? Planned)
{
    /// <summary>The trial with the highest valid score (the earliest on ties), or null before any trial scored.</summary>
    public TrialRecord? Best => Ranked.FirstOrDefault(t => t.HasScore);

    /// <summary>Scored trials best first, then failed and running ones by number.</summary>
    public IReadOnlyList<TrialRecord> Ranked => Trials
        .OrderBy(t => t.HasScore ? 0 : t.Status == TrialStatus.Failed ? 1 : 2)
        .ThenByDescending(t => t.BestValid ?? double.NegativeInfinity)
        .ThenBy(t => t.Number)
        .ToList();

    public int Finished => Trials.Count(t => t.IsFinished);

    public int Failed => Trials.Count(t => t.Status == TrialStatus.Failed);

    /// <summary>Finished trials (in finishing order) since the best one: the measure of <c>--early-stop</c>.</summary>
    public int TrialsSinceBest
    {
        get
        {
            if (Best is not { } best) return Finished;
            return Trials.Count(t => t.IsFinished && (t.FinishedAt > best.FinishedAt || (t.FinishedAt == best.FinishedAt && t.Number > best.Number)));
        }
    }
}
