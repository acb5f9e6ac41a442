using System.Diagnostics;
using SeqRec.Tuning.Output;
using SeqRec.Tuning.Sampling;
using SeqRec.Tuning.Space;
using SeqRec.Tuning.Store;

namespace SeqRec.Tuning.Engine;

/// <summary>
/// One worker of a study: claims trials from the store until the search is done, runs each with the
/// <see cref="ITrialRunner"/>, and commits its result as soon as it finishes. A trial that throws or scores NaN is
/// recorded as failed and the study goes on; cancellation gives the running trial back and stops.
/// </summary>
public sealed class StudyRunner(
    IStudyStore store,
    SearchSpace space,
    ISampler sampler,
    ITrialRunner runner,
    TuneOptions options,
    string outputDirectory,
    ITuneProgress? progress = null,
    StudyOutput? output = null,
    TimeProvider? time = null)
{
    private readonly ITuneProgress _progress = progress ?? NoProgress.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The trial budget: <see cref="TuneOptions.MaxEvals"/>, else the grid size, else a default for continuous spaces.</summary>
    public int? Planned => options.MaxEvals is { } max
        ? (int)Math.Min(max, space.GridSize ?? long.MaxValue)
        : space.GridSize is { } size ? (int)Math.Min(size, int.MaxValue) : TuneOptions.DefaultMaxEvalsForContinuousSpaces;

    public StudySnapshot Run(CancellationToken cancellation = default)
    {
        _progress.StudyStarted(Snapshot());
        string reason;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var outcome = store.Claim(options.Worker, options.Lease, _time.GetUtcNow(), Decide);
            if (outcome is ClaimOutcome.Stop stop)
            {
                reason = stop.Reason;
                break;
            }
            if (outcome is ClaimOutcome.Wait wait)
            {
                _progress.Waiting(wait.Reason);
                cancellation.WaitHandle.WaitOne(options.PollInterval);
                continue;
            }
            var claimed = (ClaimOutcome.Claimed)outcome;
            RunTrial(claimed.Trial, claimed.Resumed, cancellation);
        }
        var final = Snapshot();
        output?.Write(final);
        _progress.StudyFinished(final, reason);
        return final;
    }

    private ClaimDecision Decide(IReadOnlyList<TrialRecord> history, int number)
    {
        var snapshot = new StudySnapshot(options.Study, history, Planned);
        var running = history.Count(t => t.Status == TrialStatus.Running);
        if (options.EarlyStop is { } patience && snapshot.Best is not null && snapshot.TrialsSinceBest >= patience)
            return new ClaimDecision.Stop($"no better valid score in the last {snapshot.TrialsSinceBest} trials (--early-stop {patience})");
        if (Planned is { } planned && history.Count >= planned)
            return running > 0 ? new ClaimDecision.Wait($"{running} trial(s) of other workers still running") : new ClaimDecision.Stop($"all {planned} planned trials are done");
        if (sampler.Propose(history, number) is { } next) return new ClaimDecision.Start(next);
        return running > 0 ? new ClaimDecision.Wait($"{running} trial(s) of other workers still running") : new ClaimDecision.Stop("the search space is exhausted");
    }

    private void RunTrial(TrialRecord trial, bool resumed, CancellationToken cancellation)
    {
        _progress.TrialStarted(trial, resumed);
        var request = new TrialRequest(trial.Number, trial.Parameters, Path.Combine(outputDirectory, "trials", $"trial-{trial.Number:D4}"));
        var watch = Stopwatch.StartNew();
        TrialResult result;
        using (_time.CreateTimer(_ => Heartbeat(trial.Number), null, options.HeartbeatInterval, options.HeartbeatInterval))
        {
            try
            {
                result = runner.Run(request, cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                store.Release(trial.Number, options.Worker);
                throw;
            }
#pragma warning disable CA1031 // Any failure of one trial (divergence, out of memory, a bug in a model) must not end the study.
            catch (Exception e)
#pragma warning restore CA1031
            {
                result = TrialResult.Failed($"{e.GetType().Name}: {e.Message}");
            }
        }

        // An "ok" trial without a finite score (NaN loss, empty validation) is a failure: it must not rank.
        var scored = result.Status == TrialStatus.Ok && result.BestValid is { } score && double.IsFinite(score);
        var finished = trial with
        {
            Status = scored ? TrialStatus.Ok : TrialStatus.Failed,
            BestValid = scored ? result.BestValid : null,
            Valid = result.Valid,
            Test = result.Test,
            Error = scored || result.Status != TrialStatus.Ok ? result.Error : $"the valid metric is {Describe(result.BestValid)}",
            Duration = result.Duration ?? watch.Elapsed,
            RunDirectory = result.RunDirectory ?? (Directory.Exists(request.RunDirectory) ? request.RunDirectory : null),
            Worker = options.Worker,
            FinishedAt = _time.GetUtcNow(),
            HeartbeatAt = null,
        };
        store.Finish(finished);
        var snapshot = Snapshot();
        output?.Write(snapshot);
        _progress.TrialFinished(finished, snapshot);
    }

    private void Heartbeat(int number)
    {
        try
        {
            store.Heartbeat(number, options.Worker, _time.GetUtcNow());
        }
#pragma warning disable CA1031 // A missed heartbeat (database briefly busy) is retried at the next tick; the lease is several ticks long.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private StudySnapshot Snapshot() => new(options.Study, store.Load(), Planned);

    private static string Describe(double? value) => value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing";
}
