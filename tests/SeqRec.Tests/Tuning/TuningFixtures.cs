using SeqRec.Configuration;
using SeqRec.Models;
using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Space;

namespace SeqRec.Tests.Tuning;

/// <summary>Search spaces and synthetic trial runners for the tuning tests (no training anywhere).</summary>
internal static class TuningFixtures
{
    public static IReadOnlyList<ConfigSectionInfo> LightSansSections { get; } = [.. ConfigResolver.CoreSections, LightSansConfig.Info];

    public static string LightSansHyper => Path.Combine(TestPaths.RepoRoot, "configs", "hyper", "lightsans.hyper");

    public static SearchSpace Parse(string text) => HyperFileParser.Parse(text, "test.hyper", LightSansSections);

    public static SearchSpace LightSansSpace() => HyperFileParser.ParseFile(LightSansHyper, LightSansSections);

    /// <summary>A known function of the lightsans.hyper parameters, best at learning_rate 0.001, 2 layers, 15 interests.</summary>
    public static double LightSansScore(ParamAssignment p) =>
        0.3 - (0.05 * Math.Abs(Math.Log10((double)p["trainer.learning_rate"]) + 3))
            - (0.02 * Math.Abs((long)p["lightsans.num_layers"] - 2))
            - (0.001 * Math.Abs((long)p["lightsans.k_interests"] - 15));
}

/// <summary>Scores each trial with a function; counts runs per point; optionally fails or interrupts.</summary>
internal sealed class SyntheticRunner(Func<ParamAssignment, double> score) : ITrialRunner
{
    private readonly Lock _gate = new();
    private readonly List<ParamAssignment> _runs = [];

    /// <summary>Called before scoring; may throw (a failing trial) or cancel (a kill).</summary>
    public Action<TrialRequest>? BeforeScoring { get; init; }

    public IReadOnlyList<ParamAssignment> Runs
    {
        get { lock (_gate) return _runs.ToList(); }
    }

    public TrialResult Run(TrialRequest request, CancellationToken cancellation)
    {
        lock (_gate) _runs.Add(request.Parameters);
        BeforeScoring?.Invoke(request);
        cancellation.ThrowIfCancellationRequested();
        var value = score(request.Parameters);
        return TrialResult.Ok(value, new Dictionary<string, double> { ["MRR@10"] = value }, new Dictionary<string, double> { ["MRR@10"] = value / 2, ["NDCG@10"] = value / 3 });
    }
}

/// <summary>A clock the test moves by hand (lease expiry without waiting).</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
