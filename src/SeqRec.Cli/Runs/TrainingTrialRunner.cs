using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using SeqRec.Runs;
using SeqRec.Tuning.Engine;

namespace SeqRec.Cli.Runs;

/// <summary>Runs a tuning trial as a real training run (early stopping, best checkpoint, test) in the trial's folder.</summary>
internal sealed class TrainingTrialRunner(TrialRunnerContext context, ModelRegistry models) : ITrialRunner
{
    // Trials usually share the data settings: prepare the dataset once per distinct [data] section.
    private readonly Dictionary<string, SequentialDataset> _datasets = new(StringComparer.Ordinal);

    public TrialResult Run(TrialRequest request, CancellationToken cancellation)
    {
        var config = ConfigResolver.Resolve(context.RequestFor(request), models);
        var dataset = Dataset(config);
        using var experiment = Experiment.Prepare(config, dataset);
        var run = RunDirectory.CreateAt(request.RunDirectory);
        var result = TrainingRun.Execute(run, experiment.CreateRunSetup(), console: null, resume: false, cancellation);
        var best = result.BestValid.TryGetValue(result.ValidMetricKey, out var score) ? score : double.NaN;
        return TrialResult.Ok(best, result.BestValid, result.Test, run.Path);
    }

    private SequentialDataset Dataset(ResolvedConfig config)
    {
        var text = new System.Text.StringBuilder();
        TomlConfigWriter.WriteSection(text, DataConfig.SectionName, config.Data);
        var key = text.ToString();
        if (!_datasets.TryGetValue(key, out var dataset)) _datasets[key] = dataset = DatasetProvider.Load(config.Data);
        return dataset;
    }
}
