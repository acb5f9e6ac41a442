using SeqRec.Configuration;
using SeqRec.Training;
using TorchSharp.Modules;
using static TorchSharp.torch.utils.tensorboard;

namespace SeqRec.Runs;

/// <summary>
/// Logs to TensorBoard event files (TorchSharp's SummaryWriter): <c>train/loss</c> and <c>train/samples_per_second</c>
/// per epoch (and <c>train/loss_&lt;part&gt;</c> for models with several losses), <c>valid/&lt;metric&gt;</c> per validation,
/// <c>test/&lt;metric&gt;</c> at the best epoch, the run's resolved configuration under TEXT (<c>config</c>), and its
/// hyper-parameters with its valid and test metrics under HPARAMS (<see cref="TensorBoardHParams"/>). Event files are
/// append-only streams; a resumed run adds new files to the same folder, which TensorBoard merges.
/// </summary>
public sealed class TensorBoardObserver : ITrainingObserver
{
    private readonly SummaryWriter _writer;
    private readonly TensorBoardHParams _session;

    /// <param name="configToml">The run's resolved configuration (TEXT and HPARAMS tabs); null when resuming a run that wrote it.</param>
    public TensorBoardObserver(string logDirectory, string? configToml = null)
    {
        _writer = SummaryWriter(logDirectory);
        if (configToml is { Length: > 0 })
        {
            _writer.add_text("config", "```toml\n" + configToml + "\n```", 0);
            var (hparams, metrics) = HParamsOf(configToml);
            _session = TensorBoardHParams.Start(logDirectory, hparams, metrics);
        }
        else
        {
            _session = TensorBoardHParams.Continue(logDirectory);
        }
    }

    public void TrainingFinished(TrainingResult result) => _session.End();

    /// <summary>
    /// The HPARAMS columns of a run: the model, the data and trainer settings that change results, every setting of
    /// the model's section; and as metrics the valid metric and every test metric.
    /// </summary>
    internal static (List<KeyValuePair<string, object>> HParams, List<string> Metrics) HParamsOf(string configToml)
    {
        var config = TomlConfigReader.Read(configToml, "config.toml", new ConfigErrors()) ?? new ConfigTable(ConfigSource.Code);
        var hparams = new List<KeyValuePair<string, object>>();
        var model = (config["model"] as ConfigScalar)?.Value as string;
        if (model is not null) hparams.Add(KeyValuePair.Create("model", (object)model));
        void Add(string section, params string[] keys)
        {
            if (config[section] is not ConfigTable table) return;
            foreach (var (key, node) in table.Items)
            {
                if (keys.Length > 0 && !keys.Contains(key)) continue;
                if (node is ConfigScalar { Value: var value and (bool or string or long or double) })
                    hparams.Add(KeyValuePair.Create($"{section}.{key}", value));
            }
        }
        Add("data", "dataset", "max_item_list_length");
        Add("trainer", "learning_rate", "train_batch_size", "weight_decay", "epochs", "stopping_step", "seed");
        if (model is not null) Add(model);

        var metrics = new List<string>();
        var eval = config["eval"] as ConfigTable;
        if ((eval?["valid_metric"] as ConfigScalar)?.Value is string valid) metrics.Add("valid/" + valid.ToLowerInvariant());
        var names = (eval?["metrics"] as ConfigArray)?.Items.Select(n => ((n as ConfigScalar)?.Value as string)?.ToLowerInvariant()).OfType<string>() ?? [];
        var cutoffs = (eval?["topk"] as ConfigArray)?.Items.Select(n => (n as ConfigScalar)?.Value).OfType<long>() ?? [];
        metrics.AddRange(names.SelectMany(name => name == "gauc" ? ["test/gauc"] : cutoffs.Select(k => $"test/{name}@{k}")));
        return (hparams, metrics);
    }

    public void EpochTrained(EpochRecord record)
    {
        _writer.add_scalar("train/loss", (float)record.Loss, record.Epoch);
        foreach (var (name, value) in record.LossParts ?? new Dictionary<string, double>())
            _writer.add_scalar($"train/loss_{name}", (float)value, record.Epoch);
        _writer.add_scalar("train/samples_per_second", (float)record.SamplesPerSecond, record.Epoch);
    }

    public void Evaluated(EvaluationReport report)
    {
        foreach (var (key, value) in report.Metrics)
            _writer.add_scalar($"{report.Split}/{key}", (float)value, report.Epoch);
    }
}
