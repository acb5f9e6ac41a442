using SeqRec.Tests.Models;
using System.CommandLine;
using SeqRec.Cli;
using SeqRec.Configuration;
using SeqRec.Models;
using SeqRec.Tuning.Engine;
using Xunit;
using static SeqRec.Tests.Tuning.TuningFixtures;

namespace SeqRec.Tests.Tuning;

/// <summary><c>seqrec tune</c> end to end with a synthetic runner: the acceptance command, its outputs, and resume.</summary>
public sealed class TuneCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Command CreateTune(Func<TrialRunnerContext, ITrialRunner> factory) => SeqRec.Cli.Commands.TuneCommand.Create(ModelHost.With(TinyModels.Registry), factory);

    private (int Code, string Out, string Err) Tune(SyntheticRunner runner, params string[] extra)
    {
        var root = new RootCommand { CreateTune(_ => runner) };
        string[] args = ["tune", "--model", "lightsans", "--dataset", "ml-100k", "--params", LightSansHyper, "--algo", "exhaustive",
            "--set", "trainer.epochs=1", "--output", _dir.Path, .. extra];
        var output = new StringWriter();
        var error = new StringWriter();
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        try
        {
            var code = parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
            return (code, output.ToString(), error.ToString());
        }
        catch (SeqRecException e)
        {
            return (CliApp.UsageError, output.ToString(), e.Message);
        }
    }

    [Fact]
    public void The_acceptance_command_runs_45_trials_then_resumes_with_nothing_left_and_writes_a_runnable_best_config()
    {
        var first = new SyntheticRunner(LightSansScore);
        var (code, output, _) = Tune(first);
        Assert.Equal(0, code);
        Assert.Equal(45, first.Runs.Count);
        Assert.Contains("[45/45]", output, StringComparison.Ordinal);
        Assert.Contains("best: trial", output, StringComparison.Ordinal);
        Assert.Contains("learning_rate=0.001, num_layers=2, k_interests=15", output, StringComparison.Ordinal);

        var best = Path.Combine(_dir.Path, "best.toml");
        var config = ConfigResolver.Resolve(new ConfigRequest { Files = [best] }, TinyModels.Registry);
        Assert.Equal(("lightsans", "ml-100k", 1, 0.001), (config.Model.Id, config.Data.Dataset, config.Trainer.Epochs, config.Trainer.LearningRate));
        Assert.Equal(15, config.ModelSection<LightSansConfig>().KInterests);
        Assert.True(File.Exists(Path.Combine(_dir.Path, "study.csv")));
        Assert.True(File.Exists(Path.Combine(_dir.Path, "study.db")));

        var second = new SyntheticRunner(LightSansScore);
        var (again, resumed, _) = Tune(second);
        Assert.Equal(0, again);
        Assert.Empty(second.Runs);
        Assert.Contains("resuming after 45 finished trial(s)", resumed, StringComparison.Ordinal);
    }

    [Fact]
    public void Params_file_errors_stop_before_any_trial()
    {
        var bad = _dir.File("bad.hyper", "num_layer choice [1,2]\n");
        var runner = new SyntheticRunner(LightSansScore);
        var root = new RootCommand { CreateTune(_ => runner) };
        var parse = root.Parse(["tune", "--model", "lightsans", "--params", bad, "--output", _dir.Path]);
        var error = Assert.Throws<SeqRecException>(() => parse.Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = new StringWriter(), EnableDefaultExceptionHandler = false }));
        Assert.Equal($"{bad}:1: num_layer: unknown parameter 'num_layer'; did you mean 'num_layers' (lightsans.num_layers)?", error.Message);
        Assert.Empty(runner.Runs);
    }

    [Fact]
    public void Grid_points_that_break_a_cross_field_rule_are_reported_before_any_trial()
    {
        var bad = _dir.File("heads.hyper", "hidden_size choice [64, 66]\nn_heads choice [2, 4]\n");
        var runner = new SyntheticRunner(_ => 0.1);
        var root = new RootCommand { CreateTune(_ => runner) };
        var parse = root.Parse(["tune", "--model", "lightsans", "--params", bad, "--output", _dir.Path]);
        var error = Assert.Throws<SeqRecException>(() => parse.Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = new StringWriter(), EnableDefaultExceptionHandler = false }));
        Assert.Equal($"{bad}: the point (hidden_size=66, n_heads=4) is invalid: lightsans.hidden_size: 66 is not divisible by n_heads (4)", error.Message);
        Assert.Empty(runner.Runs);
    }
}
