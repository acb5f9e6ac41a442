using System.IO.Compression;
using System.Text;
using CsCheck;
using SeqRec.Benchmarks;
using SeqRec.Checkpoints;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Data.Import;
using SeqRec.Evaluation;
using SeqRec.Modeling;
using SeqRec.Models;
using SeqRec.Runs;
using SeqRec.Tests.Models;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SeqRec.Tests.Hostile;

/// <summary>
/// Generated hostile variants of every kind of file SeqRec reads (configs, atomic files, CSVs, checkpoints,
/// safetensors, PyTorch state dicts): each must load or fail with a clean error, in bounded time and memory. The
/// counts and distinct messages go to the test output.
/// </summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class HostileInputTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>SEQREC_HOSTILE_SCALE multiplies every count, for longer searches outside CI.</summary>
    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("SEQREC_HOSTILE_SCALE"), out var scale) && scale > 0 ? scale : 1;

    private void Run(Gen<byte[]> cases, int iterations, string kind, Action<byte[]> load)
    {
        iterations *= Scale;
        var outcomes = new HostileOutcomes(kind);
        cases.Sample(bytes => outcomes.Attempt(() => load(bytes), Describe(bytes)), iter: iterations, threads: 1);
        output.WriteLine(outcomes.Summary);
        foreach (var message in outcomes.Messages.Take(12)) output.WriteLine("  " + message.Split('\n')[0]);
        Assert.Equal(iterations, outcomes.Cases);
    }

    /// <summary>The case as text when it is short text, else its length and the start of its base64 (CsCheck prints the seed that reproduces it).</summary>
    private static string Describe(byte[] bytes) =>
        bytes.Length <= 2000 && bytes.All(b => b is >= 9 and < 127 or >= 0xC0) ? Encoding.UTF8.GetString(bytes) : $"{bytes.Length} bytes: {Convert.ToBase64String(bytes[..Math.Min(bytes.Length, 300)])}…";

    private static string Shipped(params string[] path) => File.ReadAllText(Path.Combine([TestPaths.RepoRoot, "configs", .. path]));

    [Fact]
    public void Config_files_toml_and_yaml()
    {
        var registry = SeqRecModels.Registry();
        var toml = Path.Combine(_folder.Path, "hostile.toml");
        Run(Mutations.Text(Shipped("lightsans-ml100k.toml")), 200, "TOML config", bytes =>
        {
            File.WriteAllBytes(toml, bytes);
            ConfigResolver.Resolve(new ConfigRequest { Files = [toml] }, registry);
        });
        var yaml = Path.Combine(_folder.Path, "hostile.yaml");
        Run(Mutations.Text(Shipped("recbole", "lightsans-ml100k.yaml")), 150, "YAML config", bytes =>
        {
            File.WriteAllBytes(yaml, bytes);
            ConfigResolver.Resolve(new ConfigRequest { Model = "lightsans", Files = [yaml] }, registry);
        });
    }

    [Fact]
    public void Command_line_overrides()
    {
        var registry = SeqRecModels.Registry();
        var keys = new[] { "trainer.epochs", "trainer.learning_rate", "data.max_item_list_length", "eval.topk", "eval.metrics", "lightsans.k_interests", "lightsans.hidden_act", "eval.mode", "trainer.clip_grad_norm", "n_layers", "nonsense.key", "" };
        var sets = Gen.Select(Gen.Int[0, keys.Length - 1], Gen.Int[0, Mutations.NastyTokens.Length - 1], Gen.Bool,
            (key, token, withEquals) => Encoding.UTF8.GetBytes(keys[key] + (withEquals ? "=" : "") + Mutations.NastyTokens[token]));
        Run(sets, 150, "--set", bytes => ConfigResolver.Resolve(new ConfigRequest { Model = "lightsans", Sets = [Encoding.UTF8.GetString(bytes)] }, registry));
    }

    [Fact]
    public void Atomic_interaction_files()
    {
        var data = Path.Combine(_folder.Path, "data");
        SyntheticDataset.Write(data, "tiny", users: 12, items: 15, interactionsPerUser: 6, seed: 3);
        var inter = Path.Combine(data, "tiny", "tiny.inter");
        var original = File.ReadAllText(inter);
        Run(Mutations.Text(original), 150, "atomic .inter", bytes =>
        {
            File.WriteAllBytes(inter, bytes);
            SequentialDatasetLoader.Load(new DataConfig { Dataset = "tiny", MaxItemListLength = 5 }, data);
        });
    }

    [Fact]
    public void Csv_imports()
    {
        var csv = Path.Combine(_folder.Path, "in.csv");
        var original = "user,item,time,rating\n" + string.Join('\n', Enumerable.Range(0, 30).Select(i => $"u{i % 5},i{i % 7},{1_600_000_000 + i * 60},{1 + i % 5}")) + "\n";
        var outFolder = Path.Combine(_folder.Path, "imported");
        Run(Mutations.Text(original), 100, "CSV import", bytes =>
        {
            File.WriteAllBytes(csv, bytes);
            CsvImport.Run(new CsvImportOptions(csv, "user", "item", "time", "imported", outFolder) { RatingColumn = "rating" });
        });
    }

    [Fact]
    public void Checkpoints()
    {
        var context = new ModelContext(20, 6);
        var config = new SasRecConfig { NumLayers = 1, HiddenSize = 8, InnerSize = 16 };
        using var saved = TinyModels.SasRec(context, config);
        var path = Path.Combine(_folder.Path, "model.ckpt");
        ModelCheckpoint.Save(path, saved, new CheckpointInfo("sasrec", "tiny", "model = \"sasrec\"\n"), 3, MetricValues.Empty);
        var original = File.ReadAllBytes(path);
        using var target = TinyModels.SasRec(context, config);
        Run(Mutations.Bytes(original), 150, "checkpoint", bytes =>
        {
            File.WriteAllBytes(path, bytes);
            ModelCheckpoint.ReadHeader(path);
            ModelCheckpoint.LoadWeights(path, target);
        });
    }

    [Fact]
    public void Checkpoint_configs()
    {
        // Validly framed and digested checkpoints whose stored configuration is hostile: loading rebuilds model and
        // data from it, so it must be refused (or work) before anything large is built.
        var data = Path.Combine(_folder.Path, "data");
        SyntheticDataset.Write(data, "tiny", users: 12, items: 15, interactionsPerUser: 6, seed: 3);
        var config = $"model = \"sasrec\"\n\n[data]\ndataset = \"tiny\"\ndata_path = \"{data}\"\nmax_item_list_length = 5\n\n" +
            "[sasrec]\nn_layers = 1\nn_heads = 2\nhidden_size = 8\ninner_size = 16\n";
        using var experiment = Experiment.Prepare(ConfigResolver.Resolve(new ConfigRequest { Texts = [new ConfigText("seed", config)] }, SeqRecModels.Registry()));
        var path = Path.Combine(_folder.Path, "config.ckpt");
        Run(Mutations.Text(config), 100, "checkpoint config", bytes =>
        {
            ModelCheckpoint.Save(path, experiment.Model, new CheckpointInfo("sasrec", "tiny", Encoding.UTF8.GetString(bytes)), 0, MetricValues.Empty);
            SavedModel.Load(path).Dispose();
        });
    }

    [Fact]
    public void Safetensors_files()
    {
        var path = Path.Combine(_folder.Path, "weights.safetensors");
        using (var a = arange(12, ScalarType.Float32).reshape(3, 4))
        using (var b = ones(5, ScalarType.Int64))
            SafeTensorsFile.Write(path, [KeyValuePair.Create("a", a), KeyValuePair.Create("b", b)], new Dictionary<string, string> { ["format"] = "pt" });
        var original = File.ReadAllBytes(path);
        var headerLength = (int)BitConverter.ToUInt64(original);
        var header = Encoding.UTF8.GetString(original, 8, headerLength);
        // Byte mutations anywhere, and header mutations that keep the framing (the JSON text itself made hostile).
        var headerCases = Mutations.Text(header).Select(json => (byte[])[.. BitConverter.GetBytes((ulong)json.Length), .. json, .. original[(8 + headerLength)..]]);
        Run(Gen.Frequency((1, Mutations.Bytes(original)), (2, headerCases)), 200, "safetensors", bytes =>
        {
            File.WriteAllBytes(path, bytes);
            foreach (var tensor in SafeTensorsFile.Read(path).Tensors.Values) tensor.Dispose();
        });
    }

    [Fact]
    public void Pytorch_state_dicts()
    {
        var original = File.ReadAllBytes(TestPaths.E2eStateDict);
        var path = Path.Combine(_folder.Path, "state_dict.pth");
        void Load(byte[] bytes)
        {
            File.WriteAllBytes(path, bytes);
            foreach (var tensor in WeightsFile.Read(path).Values) tensor.Dispose();
        }
        Run(Mutations.Bytes(original), 40, "PyTorch zip", Load);

        // The pickle inside a well-formed archive made hostile: the archive is rewritten around it.
        var (pickleName, pickle) = PickleOf(original);
        Run(Mutations.Bytes(pickle), 150, "PyTorch pickle", mutated => Load(WithEntry(original, pickleName, mutated)));
    }

    private static (string Name, byte[] Bytes) PickleOf(byte[] archiveBytes)
    {
        using var archive = new ZipArchive(new MemoryStream(archiveBytes), ZipArchiveMode.Read);
        var entry = archive.Entries.Single(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal));
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return (entry.FullName, buffer.ToArray());
    }

    private static byte[] WithEntry(byte[] archiveBytes, string name, byte[] content)
    {
        using var source = new ZipArchive(new MemoryStream(archiveBytes), ZipArchiveMode.Read);
        var result = new MemoryStream();
        using (var target = new ZipArchive(result, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var to = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                if (entry.FullName == name) to.Write(content);
                else
                {
                    using var from = entry.Open();
                    from.CopyTo(to);
                }
            }
        }
        return result.ToArray();
    }
}
