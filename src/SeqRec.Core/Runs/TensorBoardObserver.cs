using SeqRec.Training;
using TorchSharp.Modules;
using static TorchSharp.torch.utils.tensorboard;

namespace SeqRec.Runs;

/// <summary>
/// Logs to TensorBoard event files (TorchSharp's SummaryWriter): <c>train/loss</c> and <c>train/samples_per_second</c>
/// per epoch (and <c>train/loss_&lt;part&gt;</c> for models with several losses), <c>valid/&lt;metric&gt;</c> per validation,
/// <c>test/&lt;metric&gt;</c> at the best epoch, and the run's resolved configuration under TEXT (<c>config</c>). Event
/// files are append-only streams; a resumed run adds a new file to the same folder, which TensorBoard merges.
/// </summary>
public sealed class TensorBoardObserver : ITrainingObserver
{
    private readonly SummaryWriter _writer;

    /// <param name="configToml">The run's resolved configuration, shown in TensorBoard's TEXT tab; null for none.</param>
    public TensorBoardObserver(string logDirectory, string? configToml = null)
    {
        _writer = SummaryWriter(logDirectory);
        if (configToml is { Length: > 0 })
            _writer.add_text("config", "```toml\n" + configToml + "\n```", 0);
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
