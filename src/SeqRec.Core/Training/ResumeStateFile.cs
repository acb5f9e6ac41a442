using System.Text;
using System.Text.Json;
using SeqRec.Evaluation;
using SeqRec.Runs;
using TorchSharp;
using TorchSharp.Modules;

namespace SeqRec.Training;

/// <summary>
/// Saves and restores everything a run needs to continue exactly where it stopped: the <see cref="ResumeState"/>,
/// torch's default generator state (dropout continues the same stream), the model weights and the optimizer state
/// (Adam's step counts and moments, bit for bit). The data order is not stored: batch sources derive it from
/// (seed, epoch). Layout: <c>SEQRECRS</c>, int32 version (2; 1 without the digest still reads), length-prefixed
/// JSON, length-prefixed RNG state bytes, <c>Module.save</c> weights, <c>OptimizerHelper.save_state_dict</c> state,
/// and the SHA-256 of all that (<see cref="DigestedFile"/>), checked before anything is restored. Written atomically. The optimizer's
/// hyper-parameters (learning rate, weight decay) travel with its state, so resume with the run's own config.toml.
/// </summary>
public static class ResumeStateFile
{
    public const int FormatVersion = 2;

    private static readonly byte[] Magic = "SEQRECRS"u8.ToArray();


    public static void Save(string path, ResumeState state, torch.nn.Module model, OptimizerHelper optimizer) =>
        DigestedFile.Write(path, writer =>
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            var json = JsonSerializer.SerializeToUtf8Bytes(StateJson.From(state), SeqRecJson.Compact);
            writer.Write(json.Length);
            writer.Write(json);
            using var rng = torch.get_rng_state();
            var rngBytes = rng.data<byte>().ToArray();
            writer.Write(rngBytes.Length);
            writer.Write(rngBytes);
            model.save(writer);
            optimizer.save_state_dict(writer);
        });

    /// <summary>Restores the model, optimizer and torch's generator from <paramref name="path"/> and returns the bookkeeping.</summary>
    public static ResumeState Load(string path, torch.nn.Module model, OptimizerHelper optimizer)
    {
        if (!File.Exists(path))
            throw new SeqRecException($"{path}: no resume state; a run writes it after its first completed epoch");
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8, leaveOpen: false);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new SeqRecException($"{path}: not a SeqRec resume state");
            var version = reader.ReadInt32();
            if (version is not (1 or FormatVersion))
                throw new SeqRecException($"{path}: resume state format version {version} is not supported (this build reads versions 1 and {FormatVersion})");
            if (version >= 2) DigestedFile.Verify(reader.BaseStream, path, "resume state");
            var json = JsonSerializer.Deserialize<StateJson>(reader.ReadBytes(DigestedFile.Length(reader, path, "resume state", "JSON part")), SeqRecJson.Compact)
                ?? throw new SeqRecException($"{path}: the resume state is empty");
            var rngBytes = reader.ReadBytes(DigestedFile.Length(reader, path, "resume state", "generator state"));
            model.load(reader, strict: true);
            optimizer.load_state_dict(reader);
            using (var rng = torch.tensor(rngBytes, torch.ScalarType.Byte)) torch.set_rng_state(rng);
            return json.ToState();
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or ArgumentException or InvalidDataException)
        {
            throw new SeqRecException($"{path}: the resume state is corrupt or belongs to a different model or configuration ({e.Message})", e);
        }
    }

    private sealed class StateJson
    {
        public int CompletedEpoch { get; set; }
        public double? BestScore { get; set; }
        public int BestEpoch { get; set; }
        public int Counter { get; set; }
        public bool ShouldStop { get; set; }
        public bool Improved { get; set; }
        public Dictionary<string, double> BestValid { get; set; } = [];
        public List<EpochJson> History { get; set; } = [];

        public static StateJson From(ResumeState state) => new()
        {
            CompletedEpoch = state.CompletedEpoch,
            BestScore = state.Stopping.BestScore,
            BestEpoch = state.Stopping.BestEpoch,
            Counter = state.Stopping.Counter,
            ShouldStop = state.Stopping.ShouldStop,
            Improved = state.Stopping.Improved,
            BestValid = state.BestValid.ToDictionary(),
            History = [.. state.History.Select(EpochJson.From)],
        };

        public ResumeState ToState() => new(
            CompletedEpoch,
            new EarlyStopping(BestScore, BestEpoch, Counter, ShouldStop) { Improved = Improved },
            new MetricValues(BestValid),
            [.. History.Select(h => h.ToRecord())]);
    }

    private sealed class EpochJson
    {
        public int Epoch { get; set; }
        public double Loss { get; set; }
        public Dictionary<string, double>? LossParts { get; set; }
        public int Batches { get; set; }
        public int Samples { get; set; }
        public double TrainSeconds { get; set; }
        public double DataSeconds { get; set; }
        public double? ValidScore { get; set; }
        public Dictionary<string, double>? ValidMetrics { get; set; }
        public double? ValidSeconds { get; set; }
        public bool Improved { get; set; }
        public long? PeakResidentBytes { get; set; }

        public static EpochJson From(EpochRecord r) => new()
        {
            Epoch = r.Epoch,
            Loss = r.Loss,
            LossParts = r.LossParts?.ToDictionary(),
            Batches = r.Batches,
            Samples = r.Samples,
            TrainSeconds = r.TrainSeconds,
            DataSeconds = r.DataSeconds,
            ValidScore = r.ValidScore,
            ValidMetrics = r.ValidMetrics?.ToDictionary(),
            ValidSeconds = r.ValidSeconds,
            Improved = r.Improved,
            PeakResidentBytes = r.PeakResidentBytes,
        };

        public EpochRecord ToRecord() => new(
            Epoch, Loss, Batches, Samples, TrainSeconds, DataSeconds, ValidScore,
            ValidMetrics is null ? null : new MetricValues(ValidMetrics), ValidSeconds, Improved)
        {
            LossParts = LossParts,
            PeakResidentBytes = PeakResidentBytes,
        };
    }
}
