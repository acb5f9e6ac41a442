using SeqRec.Tuning.Sampling;

namespace SeqRec.Tuning.Engine;

/// <summary>How a worker runs a study (<c>seqrec tune</c>'s options).</summary>
public sealed record TuneOptions
{
    /// <summary>The study name; workers with the same name and storage share the study.</summary>
    public string Study { get; init; } = "default";

    public SearchAlgorithm Algorithm { get; init; } = SearchAlgorithm.Exhaustive;

    /// <summary>Stop once the study has this many trials (all workers, any status); null: the whole grid, or 100 for continuous spaces.</summary>
    public int? MaxEvals { get; init; }

    /// <summary>Stop after this many finished trials without a better valid score; null (the default) never stops early.</summary>
    public int? EarlyStop { get; init; }

    /// <summary>Seeds the grid order and every random draw of the samplers.</summary>
    public int Seed { get; init; } = 2020;

    public TpeOptions Tpe { get; init; } = new();

    /// <summary>Identifies this worker in the store; unique per process by default.</summary>
    public string Worker { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>A running trial without a heartbeat for this long belongs to a dead worker and is run again.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a worker renews the lease of its running trial; must be well below <see cref="Lease"/>.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a worker with nothing to start sleeps before asking again (others' trials still running).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Continuous spaces have no natural end; this many trials unless <see cref="MaxEvals"/> says otherwise.</summary>
    public const int DefaultMaxEvalsForContinuousSpaces = 100;
}
