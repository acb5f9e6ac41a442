using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SeqRec.Benchmarks;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using SeqRec.Runs;
using SeqRec.Training;

namespace SeqRec.Cli.Comparison;

/// <summary>
/// Runs every (entry, seed) of a <see cref="ComparisonPlan"/> one after another in this process, each as a normal
/// training run in its own folder. A run finished earlier is read back, not redone; one interrupted after an epoch
/// is resumed; one that never completed an epoch starts again. A folder whose saved configuration differs from what
/// the plan asks is refused rather than mixed in.
/// </summary>
internal sealed class ComparisonRunner(ComparisonPlan plan, ModelRegistry models, TextWriter progress)
{
    // Runs usually share the data settings: prepare the dataset once per distinct [data] section.
    private readonly Dictionary<string, SequentialDataset> _datasets = new(StringComparer.Ordinal);

    /// <param name="finished">Called after each run with every run finished so far (to rewrite the reports).</param>
    public IReadOnlyList<ComparisonRun> Run(Action<IReadOnlyList<ComparisonRun>> finished, CancellationToken cancellation)
    {
        var work = plan.Entries.SelectMany(entry => plan.Seeds.Select(seed => (entry, seed))).ToList();
        var runs = new List<ComparisonRun>();
        var clock = Stopwatch.StartNew();
        var trained = 0;
        foreach (var (index, (entry, seed)) in work.Index())
        {
            cancellation.ThrowIfCancellationRequested();
            var head = $"[{index + 1}/{work.Count}] {entry.Label}, seed {seed}";
            var config = ConfigResolver.Resolve(plan.RequestFor(entry, seed), models);
            var folder = plan.RunFolder(entry, seed);
            var state = Inspect(folder, config);
            if (state == RunState.Finished)
            {
                runs.Add(Read(entry, seed, folder, config.Model.Id));
                progress.WriteLine($"{head}: finished earlier ({folder})");
                continue;
            }
            progress.WriteLine($"{head}: {(state == RunState.Resumable ? "resuming" : "training")} in {folder}{Eta(clock.Elapsed, trained, work.Count - index)}");
            var result = Train(config, folder, resume: state == RunState.Resumable, cancellation);
            trained++;
            runs.Add(Read(entry, seed, folder, config.Model.Id) with { Reused = false });
            progress.WriteLine($"{head}: best epoch {result.BestEpoch} of {result.History.Count}; test {result.Test}");
            finished(runs);
        }
        return runs;
    }

    private enum RunState { New, Resumable, Finished }

    private static RunState Inspect(string folder, ResolvedConfig config)
    {
        var run = RunDirectory.CreateAt(folder);
        if (!File.Exists(run.ConfigPath)) return RunState.New;
        var hasResults = File.Exists(run.ResultsPath);
        var hasState = File.Exists(run.ResumeStatePath);
        if (!hasResults && !hasState) return RunState.New;
        var saved = File.ReadAllText(run.ConfigPath);
        var wanted = TomlConfigWriter.Write(config);
        if (!string.Equals(saved, wanted, StringComparison.Ordinal))
            throw new SeqRecException($"{run.ConfigPath}: this run was made with another configuration ({FirstDifference(saved, wanted)}); " +
                "give the comparison another --out folder, or delete this run to redo it");
        return hasResults ? RunState.Finished : RunState.Resumable;
    }

    private TrainingResult Train(ResolvedConfig config, string folder, bool resume, CancellationToken cancellation)
    {
        var dataset = Dataset(config);
        StartMemoryPeak();
        using var experiment = Experiment.Prepare(config, dataset);
        var run = RunDirectory.CreateAt(folder);
        return TrainingRun.Execute(run, experiment.CreateRunSetup(), new EpochLineObserver(progress), resume, cancellation);
    }

    /// <summary>
    /// The runs share this process, whose high-water mark only rises: hand back what earlier runs freed and restart
    /// the mark, so each run's results record its own peak (plus what the process still holds: datasets, runtime).
    /// </summary>
    private static void StartMemoryPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        NativeHeap.Trim();
        ProcessMemory.ResetPeak();
    }

    private static ComparisonRun Read(ComparisonEntry entry, long seed, string folder, string model)
    {
        var path = RunDirectory.CreateAt(folder).ResultsPath;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            var test = root.GetProperty("test").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetDouble())).ToList();
            var epochs = root.GetProperty("epochs").EnumerateArray().ToList();
            var cost = new RunCost(
                OptionalInt64(root, "trainable_parameters"),
                epochs.Count == 0 ? 0 : BenchPoint.Median([.. epochs.Select(e => e.GetProperty("train_seconds").GetDouble())]),
                epochs.Sum(e => e.GetProperty("train_seconds").GetDouble() + (OptionalDouble(e, "valid_seconds") ?? 0)),
                OptionalInt64(root, "peak_rss_bytes"));
            return new ComparisonRun(entry.Label, model, seed, folder, root.GetProperty("best_epoch").GetInt32(), epochs.Count, test, cost, Reused: true);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new SeqRecException($"{path}: not a readable results file ({e.Message}); delete the run's folder to redo it");
        }
    }

    private static long? OptionalInt64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private static double? OptionalDouble(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private SequentialDataset Dataset(ResolvedConfig config)
    {
        var text = new System.Text.StringBuilder();
        TomlConfigWriter.WriteSection(text, DataConfig.SectionName, config.Data);
        var key = text.ToString();
        if (!_datasets.TryGetValue(key, out var dataset)) _datasets[key] = dataset = DatasetProvider.Load(config.Data, progress);
        return dataset;
    }

    private static string Eta(TimeSpan elapsed, int trained, int left) => trained == 0
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $" (about {elapsed.TotalMinutes / trained * left:F0} min left for {left} run{(left == 1 ? "" : "s")})");

    private static string FirstDifference(string saved, string wanted)
    {
        var a = saved.Split('\n');
        var b = wanted.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i].Trim() : "(nothing)";
            var right = i < b.Length ? b[i].Trim() : "(nothing)";
            if (left != right) return $"line {i + 1} is '{left}', the comparison asks '{right}'";
        }
        return "they differ";
    }

    /// <summary>One line per validation, so a long comparison shows where it is without a screen of bars.</summary>
    private sealed class EpochLineObserver(TextWriter output) : ITrainingObserver
    {
        private int _maxEpochs;
        private double _trainSeconds;

        public void TrainingStarted(TrainingStart start) => _maxEpochs = start.MaxEpochs;

        public void EpochTrained(EpochRecord record) => _trainSeconds = record.TrainSeconds;

        public void Evaluated(EvaluationReport report)
        {
            if (report.Split != "valid" || report.Stopping is not { } stopping) return;
            var score = report.Metrics.TryGetValue(report.ValidMetricKey, out var value) ? value : double.NaN;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {report.Epoch} (at most {_maxEpochs}): {_trainSeconds:F1} s, valid {report.ValidMetricKey} {score:F4} (best {stopping.BestScore:F4} at epoch {stopping.BestEpoch}; {stopping.Counter} without improvement)"));
        }
    }
}
