using SeqRec.Tests.Models;
using SeqRec.Configuration;
using SeqRec.Models;
using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Output;
using SeqRec.Tuning.Sampling;
using SeqRec.Tuning.Space;
using SeqRec.Tuning.Store;
using Xunit;
using static SeqRec.Tests.Tuning.TuningFixtures;

namespace SeqRec.Tests.Tuning;

/// <summary>Whole studies on SQLite with a synthetic runner: grid completion, outputs, failures, resume, stop rules, sharing.</summary>
public sealed class StudyRunnerTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly SearchSpace _space = LightSansSpace();

    public void Dispose() => _dir.Dispose();

    private string Storage => "sqlite:" + Path.Combine(_dir.Path, "study.db");

    private IStudyStore Open(TimeProvider? time = null) => StudyStorage.Open(Storage, "s", _space, (time ?? TimeProvider.System).GetUtcNow());

    private StudySnapshot Run(ITrialRunner runner, TuneOptions? options = null, TimeProvider? time = null, StudyOutput? output = null, CancellationToken cancellation = default)
    {
        options ??= new TuneOptions { Study = "s" };
        using var store = Open(time);
        var sampler = SamplerFactory.Create(options.Algorithm, _space, options.Seed);
        return new StudyRunner(store, _space, sampler, runner, options, _dir.Path, output: output, time: time).Run(cancellation);
    }

    [Fact]
    public void Exhaustive_study_runs_all_45_points_and_writes_csv_json_and_a_best_config_the_resolver_accepts()
    {
        var runner = new SyntheticRunner(LightSansScore);
        var studyBase = new StudyBase("lightsans", "ml-100k", [], ["trainer.epochs=1", "stopping_step=3"], LightSansSections);
        var output = new StudyOutput(_dir.Path, _space, studyBase);
        var result = Run(runner, output: output);

        Assert.Equal(45, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.Equal(TrialStatus.Ok, t.Status));
        Assert.Equal(45, runner.Runs.Select(p => p.Hash).Distinct().Count());
        Assert.Equal(45, runner.Runs.Count);
        var best = result.Best!;
        Assert.Equal((0.001, 2L, 15L), ((double)best.Parameters["trainer.learning_rate"], (long)best.Parameters["lightsans.num_layers"], (long)best.Parameters["lightsans.k_interests"]));

        var csv = File.ReadAllLines(Path.Combine(_dir.Path, StudyOutput.CsvFile));
        Assert.Equal(46, csv.Length);
        Assert.StartsWith("rank,number,status,best_valid,trainer.learning_rate,lightsans.num_layers,lightsans.k_interests,valid:MRR@10,test:MRR@10,test:NDCG@10,duration_s", csv[0], StringComparison.Ordinal);
        Assert.StartsWith($"1,{best.Number},ok,0.3,0.001,2,15,", csv[1], StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, StudyOutput.JsonFile)));
        Assert.Equal(45, json.RootElement.GetProperty("trials").GetArrayLength());
        Assert.Equal(best.Number, json.RootElement.GetProperty("best").GetProperty("number").GetInt32());
        Assert.Equal(0.15, json.RootElement.GetProperty("best").GetProperty("test").GetProperty("MRR@10").GetDouble(), 12);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));

        var toml = File.ReadAllText(output.BestConfigPath);
        Assert.Contains("[trainer]\nepochs = 1\nstopping_step = 3\nlearning_rate = 0.001\n", toml, StringComparison.Ordinal);
        Assert.Contains("[lightsans]\nnum_layers = 2\nk_interests = 15\n", toml, StringComparison.Ordinal);
        var config = ConfigResolver.Resolve(new ConfigRequest { Files = [output.BestConfigPath] }, TinyModels.Registry);
        Assert.Equal("lightsans", config.Model.Id);
        Assert.Equal("ml-100k", config.Data.Dataset);
        Assert.Equal((1, 3, 0.001), (config.Trainer.Epochs, config.Trainer.StoppingStep, config.Trainer.LearningRate));
        Assert.Equal((2, 15), (config.ModelSection<LightSansConfig>().NumLayers, config.ModelSection<LightSansConfig>().KInterests));
    }

    [Fact]
    public void Exhaustive_search_does_not_stop_early_unless_asked()
    {
        // RecBole stops its grid after 10 trials without improvement; a flat objective must still cover all 45 points.
        Assert.Equal(45, Run(new SyntheticRunner(_ => 0.1)).Trials.Count);
    }

    [Fact]
    public void Early_stop_ends_the_study_after_n_trials_without_improvement()
    {
        var result = Run(new SyntheticRunner(_ => 0.1), new TuneOptions { Study = "s", EarlyStop = 5 });
        Assert.Equal(6, result.Trials.Count); // the best (first) trial, then 5 without a better score
    }

    [Fact]
    public void Max_evals_bounds_random_and_bayes_studies()
    {
        Assert.Equal(12, Run(new SyntheticRunner(LightSansScore), new TuneOptions { Study = "s", Algorithm = SearchAlgorithm.Bayes, MaxEvals = 12 }).Trials.Count);
        Assert.Equal(20, Run(new SyntheticRunner(LightSansScore), new TuneOptions { Study = "s", Algorithm = SearchAlgorithm.Random, MaxEvals = 20 }).Trials.Count);
    }

    [Fact]
    public void A_failing_trial_is_recorded_and_the_study_goes_on()
    {
        var runner = new SyntheticRunner(p => (long)p["lightsans.k_interests"] == 20 && (long)p["lightsans.num_layers"] == 1 ? double.NaN : LightSansScore(p))
        {
            BeforeScoring = request =>
            {
                if ((long)request.Parameters["lightsans.num_layers"] == 3 && (double)request.Parameters["trainer.learning_rate"] == 0.01)
                    throw new InvalidOperationException("out of memory");
            },
        };
        var result = Run(runner);

        Assert.Equal(45, result.Trials.Count);
        var failed = result.Trials.Where(t => t.Status == TrialStatus.Failed).ToList();
        Assert.Equal(3 + 5, failed.Count); // 3 k_interests values throw; 5 learning rates give NaN
        Assert.Equal(3, failed.Count(t => t.Error == "InvalidOperationException: out of memory"));
        Assert.Equal(5, failed.Count(t => t.Error == "the valid metric is NaN"));
        Assert.All(failed, t => Assert.Null(t.BestValid));
        Assert.Equal(37, result.Trials.Count(t => t.HasScore));
        Assert.Equal(0.3, result.Best!.BestValid);
    }

    [Fact]
    public void An_interrupted_study_resumes_without_repeating_finished_trials()
    {
        using var kill = new CancellationTokenSource();
        // The 11th trial is interrupted halfway (Ctrl+C): the first ten are finished and committed.
        var interrupting = new InterruptAt(new SyntheticRunner(LightSansScore), 11, kill);
        Assert.ThrowsAny<OperationCanceledException>(() => Run(interrupting, cancellation: kill.Token));

        StudySnapshot stored;
        using (var store = Open()) stored = new StudySnapshot("s", store.Load(), 45);
        Assert.Equal(10, stored.Finished);
        var interrupted = Assert.Single(stored.Trials, t => t.Status == TrialStatus.Running);

        var second = new SyntheticRunner(LightSansScore);
        var result = Run(second);
        Assert.Equal(45, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.Equal(TrialStatus.Ok, t.Status));
        var finishedBefore = stored.Trials.Where(t => t.IsFinished).Select(t => t.Parameters.Hash).ToHashSet();
        Assert.DoesNotContain(second.Runs, p => finishedBefore.Contains(p.Hash));
        Assert.Equal(interrupted.Parameters.Hash, second.Runs[0].Hash); // the interrupted trial is re-run first
        Assert.Equal(35, second.Runs.Count);
        Assert.Equal(45, result.Trials.Select(t => t.Parameters.Hash).Distinct().Count());
    }

    [Fact]
    public void A_killed_workers_trial_is_re_run_once_its_lease_expires()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var dead = _space.GridPoints()[7];
        using (var store = Open(new ManualTime(start)))
        {
            var claim = store.Claim("dead-worker", TimeSpan.FromMinutes(2), start, (_, _) => new ClaimDecision.Start(dead));
            Assert.IsType<ClaimOutcome.Claimed>(claim); // and then the process is killed: no finish, no release
        }

        var early = new ManualTime(start.AddMinutes(1));
        using (var store = Open(early))
        {
            var other = store.Claim("other", TimeSpan.FromMinutes(2), early.Now, (_, _) => new ClaimDecision.Stop("test"));
            Assert.IsType<ClaimOutcome.Stop>(other); // within the lease the trial still belongs to the dead worker
        }

        var later = new ManualTime(start.AddMinutes(3));
        var runner = new SyntheticRunner(LightSansScore);
        var result = Run(runner, new TuneOptions { Study = "s", Worker = "rescuer" }, later);
        Assert.Equal(45, result.Trials.Count);
        var rerun = Assert.Single(result.Trials, t => t.Parameters.Hash == dead.Hash);
        Assert.Equal((0, TrialStatus.Ok, "rescuer"), (rerun.Number, rerun.Status, rerun.Worker));
        Assert.Equal(dead.Hash, runner.Runs[0].Hash);
        Assert.Equal(45, runner.Runs.Count);
    }

    [Fact]
    public void Two_workers_sharing_one_sqlite_study_split_the_grid_without_duplicates()
    {
        var runners = new[] { new SyntheticRunner(Slow), new SyntheticRunner(Slow) };
        var threads = runners.Select((runner, i) => new Thread(() =>
            Run(runner, new TuneOptions { Study = "s", Worker = $"w{i}", PollInterval = TimeSpan.FromMilliseconds(20) }))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var all = runners.SelectMany(r => r.Runs).ToList();
        Assert.Equal(45, all.Count);
        Assert.Equal(45, all.Select(p => p.Hash).Distinct().Count());
        Assert.All(runners, r => Assert.NotEmpty(r.Runs));
        using var store = Open();
        var trials = store.Load();
        Assert.Equal(45, trials.Count);
        Assert.Equal(Enumerable.Range(0, 45), trials.Select(t => t.Number));
        Assert.Equal(["w0", "w1"], trials.Select(t => t.Worker).Distinct().Order());
    }

    [Fact]
    public void A_study_refuses_a_different_search_space()
    {
        using (Open()) { }
        var other = Parse("num_layers choice [1,2]\n");
        var error = Assert.Throws<SeqRecException>(() => StudyStorage.Open(Storage, "s", other, DateTimeOffset.UtcNow));
        Assert.Contains("study 's' was created with another search space", error.Message, StringComparison.Ordinal);
        using (StudyStorage.Open(Storage, "another", other, DateTimeOffset.UtcNow)) { } // a new study name is fine
    }

    [Theory]
    [InlineData("postgres://tuner:s3cr%40t@db.example:6543/studies", "Host=db.example;Port=6543;Database=studies;Username=tuner;Password=s3cr@t")]
    [InlineData("postgresql://db/studies", "Host=db;Port=5432;Database=studies")]
    [InlineData("Host=localhost;Database=x", "Host=localhost;Database=x")]
    [InlineData("sqlite:study.db", null)]
    [InlineData("runs/study.db", null)]
    public void Storage_strings_select_the_database(string storage, string? npgsql) =>
        Assert.Equal(npgsql, StudyStorage.TryPostgres(storage));

    private static double Slow(ParamAssignment p)
    {
        Thread.Sleep(3);
        return LightSansScore(p);
    }

    /// <summary>Cancels the study while its n-th trial runs, as Ctrl+C would.</summary>
    private sealed class InterruptAt(ITrialRunner inner, int n, CancellationTokenSource kill) : ITrialRunner
    {
        private int _count;

        public TrialResult Run(TrialRequest request, CancellationToken cancellation)
        {
            if (++_count == n)
            {
                kill.Cancel();
                cancellation.ThrowIfCancellationRequested();
            }
            return inner.Run(request, cancellation);
        }
    }
}
