using SeqRec.Tuning.Space;

namespace SeqRec.Tuning.Engine;

/// <summary>One row of a study: a trial that is running or finished, as stored.</summary>
public sealed record TrialRecord
{
    public required int Number { get; init; }

    public required ParamAssignment Parameters { get; init; }

    public required TrialStatus Status { get; init; }

    public double? BestValid { get; init; }

    public IReadOnlyDictionary<string, double> Valid { get; init; } = new Dictionary<string, double>();

    public IReadOnlyDictionary<string, double> Test { get; init; } = new Dictionary<string, double>();

    public string? Error { get; init; }

    public TimeSpan? Duration { get; init; }

    public string? RunDirectory { get; init; }

    public required string Worker { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The last sign of life of the worker running this trial (running trials only).</summary>
    public DateTimeOffset? HeartbeatAt { get; init; }

    public bool IsFinished => Status != TrialStatus.Running;

    /// <summary>A finished trial with a score, the only kind the samplers learn from and the ranking lists first.</summary>
    public bool HasScore => Status == TrialStatus.Ok && BestValid is not null;
}
