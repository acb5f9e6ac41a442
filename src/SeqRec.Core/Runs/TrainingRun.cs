using SeqRec.Configuration;
using SeqRec.Evaluation;
using SeqRec.Modeling;
using SeqRec.Training;
using TorchSharp;

namespace SeqRec.Runs;

/// <summary>Everything one run needs, built by the caller from the resolved configuration.</summary>
/// <param name="Model">Registered model name, e.g. <c>sasrec</c>.</param>
/// <param name="Dataset">Dataset name, e.g. <c>ml-100k</c>.</param>
/// <param name="ConfigToml">The resolved configuration as TOML text (written to config.toml and into checkpoints).</param>
/// <param name="Recommender">The model, built after <c>torch.manual_seed(trainer.seed)</c>.</param>
/// <param name="Trainer">Trainer settings.</param>
/// <param name="Evaluator">Evaluator built from the eval settings.</param>
/// <param name="Data">Samples and batch sources.</param>
public sealed record RunSetup(
    string Model,
    string Dataset,
    string ConfigToml,
    SequentialRecommender Recommender,
    TrainerConfig Trainer,
    Evaluator Evaluator,
    TrainingData Data)
{
    /// <summary>Lines printed and logged when the run starts: the data and the model, as RecBole logs them.</summary>
    public IReadOnlyList<string> Summary { get; init; } = [];

    /// <summary>
    /// A digest of the samples the run trains and evaluates on (hex), kept in the run folder so that a resume on data
    /// that changed since is refused; null skips the check.
    /// </summary>
    public string? DataFingerprint { get; init; }

    /// <summary>Resume even when the data's fingerprint changed (the new one is recorded and the log says so).</summary>
    public bool AcceptChangedData { get; init; }
}

/// <summary>
/// Runs a training job inside a <see cref="RunDirectory"/>: writes config.toml, logs every line to run.log and
/// TensorBoard, trains (or resumes), and writes results.json and the best checkpoint.
/// </summary>
public static class TrainingRun
{
    /// <param name="run">A fresh folder from <see cref="RunDirectory.Create"/>, or an existing one when resuming.</param>
    /// <param name="setup">Model, data and settings.</param>
    /// <param name="console">The console display (the CLI's rich one, or a <see cref="PlainTextTrainingObserver"/>).</param>
    /// <param name="resume">Continue from the run's resume state.</param>
    /// <param name="cancellation">Stops training at the next batch; the run can be resumed afterwards.</param>
    public static TrainingResult Execute(RunDirectory run, RunSetup setup, ITrainingObserver? console, bool resume = false, CancellationToken cancellation = default)
    {
        using var writer = RunLock.Acquire(run);
        if (!resume) AtomicFile.WriteAllText(run.ConfigPath, setup.ConfigToml);
        var dataNote = CheckData(run, setup, resume);
        if (setup.Trainer.Threads > 0) torch.set_num_threads(setup.Trainer.Threads);

        using var log = new StreamWriter(run.LogPath, append: true);
        var logObserver = new PlainTextTrainingObserver(log);
        var tensorBoard = new TensorBoardObserver(run.TensorBoardPath, resume ? null : setup.ConfigToml);
        ITrainingObserver[] observers = console is null ? [logObserver, tensorBoard] : [console, logObserver, tensorBoard];
        var all = new CompositeTrainingObserver(observers);
        all.Message($"{(resume ? "resuming" : "starting")} run {run.Path}: model {setup.Model}, dataset {setup.Dataset}");
        foreach (var line in setup.Summary) all.Message(line);
        if (dataNote is not null) all.Message(dataNote);

        var trainer = new Trainer(setup.Recommender, setup.Trainer, setup.Evaluator, all);
        var outputs = new TrainingOutputs(run.BestCheckpointPath, run.ResumeStatePath, new CheckpointInfo(setup.Model, setup.Dataset, setup.ConfigToml, CheckpointInfo.AssemblyLabelOf(setup.Recommender.GetType())));
        try
        {
            var result = trainer.Fit(setup.Data, outputs, resume, cancellation);
            RunResultsFile.Write(run.ResultsPath, setup.Model, setup.Dataset, setup.Recommender.TrainableParameterCount, result);
            return result;
        }
        catch (OperationCanceledException)
        {
            all.Message($"interrupted; continue with: seqrec run --resume {run.Path}");
            throw;
        }
        catch (SeqRecException e)
        {
            logObserver.Message($"error: {e.Message}");
            throw;
        }
    }

    /// <summary>
    /// Records the data's fingerprint in a new run; refuses to resume on data whose fingerprint differs, unless the
    /// setup accepts it. Returns a line for the log when changed data was accepted.
    /// </summary>
    private static string? CheckData(RunDirectory run, RunSetup setup, bool resume)
    {
        if (setup.DataFingerprint is not { } current) return null;
        if (resume && File.Exists(run.DataFingerprintPath))
        {
            var recorded = File.ReadAllText(run.DataFingerprintPath).Trim();
            if (string.Equals(recorded, current, StringComparison.Ordinal)) return null;
            if (!setup.AcceptChangedData)
                throw new SeqRecException($"{run.Path}: the dataset changed since this run started (its samples' SHA-256 was {recorded}, now {current}); " +
                    "resuming would continue on different data: restore the data the run used, start a new run, or resume with --accept-changed-data");
            AtomicFile.WriteAllText(run.DataFingerprintPath, current + "\n");
            return $"warning: the dataset changed since this run started (samples' SHA-256 {recorded}, now {current}); continuing on the new data as asked";
        }
        AtomicFile.WriteAllText(run.DataFingerprintPath, current + "\n");
        return null;
    }
}
