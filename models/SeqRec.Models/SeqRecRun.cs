using SeqRec.Configuration;
using SeqRec.Modeling;
using SeqRec.Models;
using SeqRec.Runs;
using SeqRec.Training;

namespace SeqRec;

/// <summary>What a run produced: its folder, its resolved configuration and its metrics.</summary>
public sealed record RunOutcome(string RunDirectory, ResolvedConfig Config, TrainingResult Result);

/// <summary>Optional settings of <see cref="SeqRecRun"/>.</summary>
public sealed record RunOptions
{
    /// <summary>Folder under which run directories are created.</summary>
    public string RunsRoot { get; init; } = "runs";

    /// <summary>On resume, continue even though the dataset changed since the run started.</summary>
    public bool AcceptChangedData { get; init; }

    /// <summary>Console progress; null prints nothing (the run log is always written).</summary>
    public ITrainingObserver? Observer { get; init; }

    /// <summary>Where dataset download messages go.</summary>
    public TextWriter? Progress { get; init; }

    public CancellationToken Cancellation { get; init; }

    /// <summary>The models to choose from; default: SeqRec's own (<see cref="SeqRecModels.Registry"/>).</summary>
    public ModelRegistry? Models { get; init; }
}

/// <summary>
/// The quick-start API, like RecBole's <c>run_recbole</c>:
/// <code>SeqRecRun.Run("lightsans", "ml-100k", new Dictionary&lt;string, object?&gt; { ["trainer.epochs"] = 5 })</code>
/// trains with early stopping, tests the best checkpoint and returns the metrics.
/// </summary>
public static class SeqRecRun
{
    public static RunOutcome Run(string model, string dataset, IReadOnlyDictionary<string, object?>? config = null, RunOptions? options = null) =>
        Run(new ConfigRequest { Model = model, Dataset = dataset, Values = config }, options);

    public static RunOutcome Run(ConfigRequest request, RunOptions? options = null)
    {
        options ??= new RunOptions();
        var config = ConfigResolver.Resolve(request, options.Models ?? SeqRecModels.Registry());
        using var experiment = Experiment.Prepare(config, options.Progress);
        var run = RunDirectory.Create(options.RunsRoot, config.Model.Id, experiment.Dataset.Name, DateTime.Now);
        var result = TrainingRun.Execute(run, experiment.CreateRunSetup(), options.Observer, resume: false, options.Cancellation);
        return new RunOutcome(run.Path, config, result);
    }

    /// <summary>Continues an interrupted run from its last completed epoch, with the configuration it was started with.</summary>
    public static RunOutcome Resume(string runDirectory, RunOptions? options = null)
    {
        options ??= new RunOptions();
        var run = RunDirectory.Open(runDirectory);
        var config = ConfigResolver.Resolve(new ConfigRequest { Files = [run.ConfigPath] }, options.Models ?? SeqRecModels.Registry());
        using var experiment = Experiment.Prepare(config, options.Progress);
        var setup = experiment.CreateRunSetup() with { AcceptChangedData = options.AcceptChangedData };
        var result = TrainingRun.Execute(run, setup, options.Observer, resume: true, options.Cancellation);
        return new RunOutcome(run.Path, config, result);
    }
}
