using System.Text;
using System.Text.Json;
using SeqRec.Evaluation;
using TorchSharp;

namespace SeqRec.Runs;

/// <summary>
/// A trained model in one file (<c>best.ckpt</c>), written atomically. Layout, all little-endian:
/// <list type="number">
/// <item>the 8 ASCII bytes <c>SEQRECKP</c> and an int32 format version (2; version 1, without the digest, still reads);</item>
/// <item>a length-prefixed UTF-8 JSON header: <c>model</c>, <c>dataset</c>, <c>config_toml</c> (the resolved config),
/// <c>model_assembly</c> (the model's assembly name and version),
/// <c>epoch</c>, <c>valid_metrics</c>, <c>saved_at</c>;</item>
/// <item>the weights in TorchSharp's <c>Module.save</c> format (state-dict names = the reference's names);</item>
/// <item>the SHA-256 of everything before it (32 bytes), checked before anything else is read, so flipped or cut
/// bytes are an error instead of silently different weights.</item>
/// </list>
/// The header can be read without the weights, so a loader first rebuilds model and data from the config, then
/// loads the weights into the new model.
/// </summary>
public static class ModelCheckpoint
{
    public const int FormatVersion = 2;

    private static readonly byte[] Magic = "SEQRECKP"u8.ToArray();

    public static void Save(string path, torch.nn.Module model, CheckpointInfo info, int epoch, MetricValues validMetrics) =>
        DigestedFile.Write(path, writer =>
        {
            WriteHeader(writer, info, epoch, validMetrics);
            model.save(writer);
        });

    public static CheckpointHeader ReadHeader(string path)
    {
        using var reader = OpenReader(path);
        return ReadHeader(reader, path);
    }

    /// <summary>Loads the weights of the checkpoint at <paramref name="path"/> into <paramref name="model"/>.</summary>
    public static CheckpointHeader LoadWeights(string path, torch.nn.Module model)
    {
        using var reader = OpenReader(path);
        var header = ReadHeader(reader, path);
        try
        {
            model.load(reader, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
        {
            throw new SeqRecException($"{path}: the weights do not fit the {header.Info.Model} model built from its config: {e.Message}", e);
        }
        return header;
    }

    /// <summary>
    /// The name and shape of every stored weight, read from TorchSharp's save format (a LEB128 count; per tensor its
    /// name, LEB128 dtype, rank and sizes, then its bytes, skipped here) without allocating any tensor. Every size is
    /// checked against the bytes the file holds, so the shapes returned are backed by data in the file.
    /// </summary>
    public static IReadOnlyList<(string Name, long[] Shape)> ReadWeightShapes(string path)
    {
        using var reader = OpenReader(path);
        ReadHeader(reader, path);
        var end = reader.BaseStream.Length - (VersionOf(path) >= 2 ? DigestedFile.DigestBytes : 0);
        try
        {
            var count = Leb128(reader);
            if (count > 1_000_000) throw Corrupt(path, $"it claims {count} weights");
            var shapes = new List<(string, long[])>();
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var elementSize = ElementSize(Leb128(reader)) ?? throw Corrupt(path, $"weight '{name}' has an unknown element type");
                var rank = Leb128(reader);
                if (rank > 64) throw Corrupt(path, $"weight '{name}' has rank {rank}");
                var shape = new long[rank];
                long bytes = elementSize;
                for (var d = 0; d < rank; d++)
                {
                    shape[d] = Leb128(reader);
                    bytes = shape[d] == 0 ? 0 : bytes <= (end - reader.BaseStream.Position) / shape[d] ? bytes * shape[d] : long.MaxValue;
                }
                if (bytes > end - reader.BaseStream.Position)
                    throw Corrupt(path, $"weight '{name}' of shape [{string.Join(", ", shape)}] needs more bytes than the file holds");
                reader.BaseStream.Seek(bytes, SeekOrigin.Current);
                shapes.Add((name, shape));
            }
            return shapes;
        }
        catch (EndOfStreamException e)
        {
            throw new SeqRecException($"{path}: the checkpoint is truncated or corrupt ({e.Message})", e);
        }
    }

    private static int VersionOf(string path)
    {
        using var reader = OpenReader(path);
        reader.ReadBytes(Magic.Length);
        return reader.ReadInt32();
    }

    private static SeqRecException Corrupt(string path, string what) => new($"{path}: the checkpoint's weights are corrupt: {what}");

    private static long Leb128(BinaryReader reader)
    {
        long value = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 56) throw new EndOfStreamException("a LEB128 number longer than 64 bits");
            var b = reader.ReadByte();
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }

    /// <summary>Bytes per element of TorchSharp's ScalarType codes; null for types a model never stores.</summary>
    private static int? ElementSize(long scalarType) => scalarType switch
    {
        0 or 1 or 11 => 1,      // Byte, Int8, Bool
        2 or 5 or 15 => 2,      // Int16, Float16, BFloat16
        3 or 6 => 4,            // Int32, Float32
        4 or 7 or 9 => 8,       // Int64, Float64, ComplexFloat32
        10 => 16,               // ComplexFloat64
        _ => null,
    };

    private static void WriteHeader(BinaryWriter writer, CheckpointInfo info, int epoch, MetricValues validMetrics)
    {
        writer.Write(Magic);
        writer.Write(FormatVersion);
        var json = new HeaderJson
        {
            Model = info.Model,
            Dataset = info.Dataset,
            ConfigToml = info.ConfigToml,
            ModelAssembly = info.ModelAssembly,
            Epoch = epoch,
            ValidMetrics = validMetrics.ToDictionary(),
            SavedAt = DateTimeOffset.UtcNow,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(json, SeqRecJson.Compact);
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static BinaryReader OpenReader(string path)
    {
        if (!File.Exists(path)) throw new SeqRecException($"{path}: checkpoint file not found");
        return new BinaryReader(File.OpenRead(path), Encoding.UTF8, leaveOpen: false);
    }

    private static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
                throw new SeqRecException($"{path}: not a SeqRec checkpoint (expected a file written by `seqrec run`, e.g. runs/<run>/best.ckpt)");
            var version = reader.ReadInt32();
            if (version is not (1 or FormatVersion))
                throw new SeqRecException($"{path}: checkpoint format version {version} is not supported (this build reads versions 1 and {FormatVersion})");
            if (version >= 2) DigestedFile.Verify(reader.BaseStream, path, "checkpoint");
            var length = DigestedFile.Length(reader, path, "checkpoint", "header");
            var json = JsonSerializer.Deserialize<HeaderJson>(reader.ReadBytes(length), SeqRecJson.Compact)
                ?? throw new SeqRecException($"{path}: the checkpoint header is empty");
            if (json.Model is null || json.Dataset is null || json.ConfigToml is null)
                throw new SeqRecException($"{path}: the checkpoint header lacks model, dataset or config_toml");
            return new CheckpointHeader(
                new CheckpointInfo(json.Model, json.Dataset, json.ConfigToml, json.ModelAssembly),
                json.Epoch,
                json.ValidMetrics ?? [],
                json.SavedAt);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new SeqRecException($"{path}: the checkpoint is truncated or corrupt ({e.Message})", e);
        }
    }


    private sealed class HeaderJson
    {
        public string? Model { get; set; }
        public string? Dataset { get; set; }
        public string? ConfigToml { get; set; }
        public string? ModelAssembly { get; set; }
        public int Epoch { get; set; }
        public Dictionary<string, double>? ValidMetrics { get; set; }
        public DateTimeOffset SavedAt { get; set; }
    }
}
