using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Space;

namespace SeqRec.Tuning.Store;

/// <summary>
/// The trials of one study, shared by every worker that opens it. Each finished trial is committed as it finishes,
/// so a study resumes where it stopped; <see cref="Claim"/> is atomic, so workers never run the same trial twice.
/// </summary>
public interface IStudyStore : IDisposable
{
    /// <summary>Where the study lives, for messages (without any password).</summary>
    string Location { get; }

    /// <summary>
    /// In one transaction: takes over the oldest running trial whose worker has not sent a heartbeat within
    /// <paramref name="lease"/> (a killed worker's trial is re-run with the same number and parameters); otherwise
    /// asks <paramref name="decide"/>, given every trial so far and the next trial number, what to start.
    /// </summary>
    ClaimOutcome Claim(string worker, TimeSpan lease, DateTimeOffset now, Func<IReadOnlyList<TrialRecord>, int, ClaimDecision> decide);

    /// <summary>Keeps a running trial's lease alive.</summary>
    void Heartbeat(int number, string worker, DateTimeOffset now);

    /// <summary>Records a finished trial (ok or failed). The first worker to finish a trial wins.</summary>
    void Finish(TrialRecord finished);

    /// <summary>Gives a running trial back (an interrupted worker), so the next claim re-runs it at once.</summary>
    void Release(int number, string worker);

    IReadOnlyList<TrialRecord> Load();
}

/// <summary>What a worker should do next, decided from the study so far.</summary>
public abstract record ClaimDecision
{
    public sealed record Start(ParamAssignment Parameters) : ClaimDecision;

    /// <summary>Nothing to start now, but running trials of other workers may still fail over to this one.</summary>
    public sealed record Wait(string Reason) : ClaimDecision;

    public sealed record Stop(string Reason) : ClaimDecision;
}

public abstract record ClaimOutcome
{
    /// <param name="Resumed">True when the trial was taken over from a worker that stopped sending heartbeats.</param>
    public sealed record Claimed(TrialRecord Trial, bool Resumed) : ClaimOutcome;

    public sealed record Wait(string Reason) : ClaimOutcome;

    public sealed record Stop(string Reason) : ClaimOutcome;
}
