using System.Globalization;

namespace SeqRec.Runs;

/// <summary>
/// The folder of one training run, <c>runs/&lt;model&gt;-&lt;dataset&gt;-&lt;yyyyMMdd-HHmmss&gt;/</c>, and the names of
/// what it holds.
/// </summary>
public sealed class RunDirectory
{
    private RunDirectory(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    /// <summary>The resolved configuration of the run (TOML).</summary>
    public string ConfigPath => Combine("config.toml");

    /// <summary>Everything the run printed, as plain text.</summary>
    public string LogPath => Combine("run.log");

    /// <summary>Best epoch, best valid metrics, test metrics and per-epoch history (JSON).</summary>
    public string ResultsPath => Combine("results.json");

    /// <summary>The best model (see <see cref="ModelCheckpoint"/>).</summary>
    public string BestCheckpointPath => Combine("best.ckpt");

    /// <summary>Model, optimizer, RNG and bookkeeping after the last completed epoch, for <c>--resume</c>.</summary>
    public string ResumeStatePath => Combine("resume.state");

    /// <summary>The SHA-256 of the samples the run uses, checked on resume.</summary>
    public string DataFingerprintPath => Combine("data.sha256");

    /// <summary>TensorBoard event files.</summary>
    public string TensorBoardPath => Combine("tensorboard");

    /// <summary>Creates a fresh run folder under <paramref name="runsRoot"/>; a second run in the same second gets a suffix.</summary>
    public static RunDirectory Create(string runsRoot, string model, string dataset, DateTime timestamp)
    {
        var stem = $"{Sanitize(model)}-{Sanitize(dataset)}-{timestamp.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
        Directory.CreateDirectory(runsRoot);
        for (var attempt = 1; ; attempt++)
        {
            var path = System.IO.Path.Combine(runsRoot, attempt == 1 ? stem : $"{stem}-{attempt}");
            if (Directory.Exists(path) || File.Exists(path)) continue;
            Directory.CreateDirectory(path);
            return new RunDirectory(path);
        }
    }

    /// <summary>Creates the run folder at exactly <paramref name="path"/> (e.g. a tuning trial's reserved folder).</summary>
    public static RunDirectory CreateAt(string path)
    {
        Directory.CreateDirectory(path);
        return new RunDirectory(path);
    }

    /// <summary>Opens an existing run folder to resume it.</summary>
    public static RunDirectory Open(string path)
    {
        var run = new RunDirectory(path);
        if (!Directory.Exists(run.Path)) throw new SeqRecException($"{path}: run directory not found");
        if (!File.Exists(run.ConfigPath)) throw new SeqRecException($"{path}: not a run directory (no config.toml)");
        if (!File.Exists(run.ResumeStatePath))
            throw new SeqRecException($"{path}: nothing to resume (no resume.state; the run stopped before completing its first epoch)");
        return run;
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);

    private static string Sanitize(string name)
    {
        var invalid = System.IO.Path.GetInvalidFileNameChars();
        return new string([.. name.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c)]);
    }
}
