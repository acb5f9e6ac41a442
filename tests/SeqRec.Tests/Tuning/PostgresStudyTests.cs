using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Sampling;
using SeqRec.Tuning.Space;
using SeqRec.Tuning.Store;
using Xunit;
using static SeqRec.Tests.Tuning.TuningFixtures;

namespace SeqRec.Tests.Tuning;

/// <summary>Runs only when SEQREC_TEST_POSTGRES holds a connection string (scripts/start-postgres.sh prints one).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "SEQREC_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"{Variable} is not set: start a server with 'export {Variable}=\"$(bash scripts/start-postgres.sh)\"' to test the PostgreSQL study store";
    }
}

/// <summary>The study store on a real PostgreSQL server: several workers, resume, and the same behaviour as SQLite.</summary>
public class PostgresStudyTests
{
    private static readonly string Connection = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable) ?? "";

    private static readonly SearchSpace Space = LightSansSpace();

    [PostgresFact]
    public void Two_workers_sharing_one_postgres_study_split_the_grid_without_duplicates()
    {
        var study = "test-" + Guid.NewGuid().ToString("N");
        var runners = new[] { new SyntheticRunner(LightSansScore), new SyntheticRunner(LightSansScore) };
        var threads = runners.Select((runner, i) => new Thread(() =>
        {
            using var store = StudyStorage.Open(Connection, study, Space, DateTimeOffset.UtcNow);
            var options = new TuneOptions { Study = study, Worker = $"w{i}", PollInterval = TimeSpan.FromMilliseconds(20) };
            new StudyRunner(store, Space, new GridSampler(Space, 1), runner, options, Path.GetTempPath()).Run();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var all = runners.SelectMany(r => r.Runs).ToList();
        Assert.Equal(45, all.Count);
        Assert.Equal(45, all.Select(p => p.Hash).Distinct().Count());
        using var check = StudyStorage.Open(Connection, study, Space, DateTimeOffset.UtcNow);
        var trials = check.Load();
        Assert.Equal(Enumerable.Range(0, 45), trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialStatus.Ok, t.Status));
        Assert.Equal(0.3, new StudySnapshot(study, trials, 45).Best!.BestValid);
    }

    [PostgresFact]
    public void A_postgres_study_resumes_the_released_trial_and_keeps_metrics()
    {
        var study = "test-" + Guid.NewGuid().ToString("N");
        var point = Space.GridPoints()[3];
        using (var store = StudyStorage.Open(Connection, study, Space, DateTimeOffset.UtcNow))
        {
            var claim = Assert.IsType<ClaimOutcome.Claimed>(store.Claim("a", TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow, (_, n) => new ClaimDecision.Start(point)));
            store.Release(claim.Trial.Number, "a");
        }
        using (var store = StudyStorage.Open(Connection, study, Space, DateTimeOffset.UtcNow))
        {
            var claim = Assert.IsType<ClaimOutcome.Claimed>(store.Claim("b", TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow, (_, _) => throw new InvalidOperationException("must re-run the released trial first")));
            Assert.True(claim.Resumed);
            Assert.Equal(point.Hash, claim.Trial.Parameters.Hash);
            store.Finish(claim.Trial with
            {
                Status = TrialStatus.Ok,
                BestValid = 0.25,
                Test = new Dictionary<string, double> { ["NDCG@10"] = 0.125 },
                Duration = TimeSpan.FromSeconds(1.5),
                FinishedAt = DateTimeOffset.UtcNow,
            });
            var stored = Assert.Single(store.Load());
            Assert.Equal((TrialStatus.Ok, 0.25, 0.125, "b"), (stored.Status, stored.BestValid!.Value, stored.Test["NDCG@10"], stored.Worker));
        }
    }
}
