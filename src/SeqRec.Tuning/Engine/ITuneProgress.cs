namespace SeqRec.Tuning.Engine;

/// <summary>Receives a study's progress (the CLI draws a live table from it). Called on the worker's thread.</summary>
public interface ITuneProgress
{
    void StudyStarted(StudySnapshot snapshot);

    void TrialStarted(TrialRecord trial, bool resumed);

    void TrialFinished(TrialRecord trial, StudySnapshot snapshot);

    /// <summary>Nothing to start until other workers' running trials finish or their leases expire.</summary>
    void Waiting(string reason);

    void StudyFinished(StudySnapshot snapshot, string reason);
}

/// <summary>An <see cref="ITuneProgress"/> that ignores everything.</summary>
public sealed class NoProgress : ITuneProgress
{
    public static NoProgress Instance { get; } = new();

    public void StudyStarted(StudySnapshot snapshot) { }

    public void TrialStarted(TrialRecord trial, bool resumed) { }

    public void TrialFinished(TrialRecord trial, StudySnapshot snapshot) { }

    public void Waiting(string reason) { }

    public void StudyFinished(StudySnapshot snapshot, string reason) { }
}
