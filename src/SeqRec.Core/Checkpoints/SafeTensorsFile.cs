using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace SeqRec.Checkpoints;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor name to its
/// <c>dtype</c>, <c>shape</c> and <c>data_offsets</c> (relative to the data section), an optional
/// <c>__metadata__</c> string map, then the raw little-endian data.
/// </summary>
public static class SafeTensorsFile
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Reads every tensor (owned by the caller) and the metadata strings. The file is streamed: the header, then each
    /// tensor's bytes into that tensor, so memory follows the tensors, not the file (one tensor holds at most 2 GiB).
    /// </summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path)) throw new SeqRecException($"{path}: weights file not found");
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var fileLength = file.Length;
        if (fileLength < 8) throw Bad(path, "shorter than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes || 8 + (long)headerLength > fileLength)
            throw Bad(path, $"header length {headerLength} does not fit the file size {fileLength}");
        var headerBytes = new byte[headerLength];
        file.ReadExactly(headerBytes);
        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;

        JsonDocument header;
        try { header = JsonDocument.Parse(headerBytes); }
        catch (JsonException e) { throw Bad(path, $"header is not valid JSON ({e.Message})"); }

        using (header)
        {
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var ranges = new List<(long Start, long End, string Name)>();
            try
            {
                foreach (var entry in header.RootElement.EnumerateObject())
                {
                    if (entry.Name == MetadataKey)
                    {
                        foreach (var item in entry.Value.EnumerateObject())
                            metadata[item.Name] = item.Value.GetString() ?? "";
                        continue;
                    }
                    if (tensors.ContainsKey(entry.Name)) throw Bad(path, $"tensor '{entry.Name}' appears twice in the header");
                    var dtype = ParseDType(path, entry.Name, entry.Value.GetProperty("dtype").GetString());
                    var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                    var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                    // Sizes are checked against the file before anything is allocated.
                    var expected = ByteCount(shape, dtype);
                    if (expected is null || offsets.Length != 2 || offsets[0] < 0 || offsets[1] > dataLength || offsets[1] - offsets[0] != expected)
                        throw Bad(path, $"tensor '{entry.Name}': shape [{string.Join(", ", shape)}] and data_offsets [{string.Join(", ", offsets)}] do not describe {(expected is null ? "a size" : $"{expected} bytes")} within the {dataLength}-byte data section");
                    ranges.Add((offsets[0], offsets[1], entry.Name));
                    var data = new byte[expected.Value];
                    file.Position = dataStart + offsets[0];
                    file.ReadExactly(data);
                    var tensor = empty(shape, dtype);
                    tensor.bytes = data;
                    tensors.Add(entry.Name, tensor);
                }
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
            {
                foreach (var t in tensors.Values) t.Dispose();
                throw Bad(path, $"malformed header entry ({e.Message})");
            }
            catch
            {
                foreach (var t in tensors.Values) t.Dispose();
                throw;
            }
            var ordered = ranges.Where(r => r.End > r.Start).OrderBy(r => r.Start).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                if (ordered[i].Start < ordered[i - 1].End)
                {
                    foreach (var t in tensors.Values) t.Dispose();
                    throw Bad(path, $"tensors '{ordered[i - 1].Name}' and '{ordered[i].Name}' share bytes of the data section (overlapping data_offsets)");
                }
            }
            return (tensors, metadata);
        }
    }

    /// <summary>The bytes a tensor of <paramref name="shape"/> takes; null for a negative dimension or a size past 2 GiB.</summary>
    private static long? ByteCount(long[] shape, ScalarType dtype)
    {
        long count = dtype switch { ScalarType.Float64 or ScalarType.Int64 => 8, ScalarType.Float32 or ScalarType.Int32 => 4, ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2, _ => 1 };
        foreach (var size in shape)
        {
            if (size < 0) return null;
            if (size > 0 && count > int.MaxValue / size) return null;
            count *= size;
        }
        return count;
    }

    /// <summary>Writes <paramref name="tensors"/> in the given order, with optional metadata strings.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = tensors.Select(t => (t.Key, Tensor: t.Value.detach().cpu().contiguous())).ToList();
        try
        {
            using var headerStream = new MemoryStream();
            using (var json = new Utf8JsonWriter(headerStream))
            {
                json.WriteStartObject();
                if (metadata is { Count: > 0 })
                {
                    json.WriteStartObject(MetadataKey);
                    foreach (var (key, value) in metadata) json.WriteString(key, value);
                    json.WriteEndObject();
                }
                long offset = 0;
                foreach (var (name, tensor) in entries)
                {
                    var length = tensor.NumberOfElements * tensor.ElementSize;
                    json.WriteStartObject(name);
                    json.WriteString("dtype", FormatDType(tensor.dtype));
                    json.WriteStartArray("shape");
                    foreach (var size in tensor.shape) json.WriteNumberValue(size);
                    json.WriteEndArray();
                    json.WriteStartArray("data_offsets");
                    json.WriteNumberValue(offset);
                    json.WriteNumberValue(offset + length);
                    json.WriteEndArray();
                    json.WriteEndObject();
                    offset += length;
                }
                json.WriteEndObject();
            }
            // The format pads the header with spaces so the data section starts 8-byte aligned.
            while (headerStream.Length % 8 != 0) headerStream.WriteByte((byte)' ');

            using var file = File.Create(path);
            Span<byte> length8 = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length8, (ulong)headerStream.Length);
            file.Write(length8);
            headerStream.Position = 0;
            headerStream.CopyTo(file);
            foreach (var (_, tensor) in entries) file.Write(tensor.bytes);
        }
        finally
        {
            foreach (var (_, tensor) in entries) tensor.Dispose();
        }
    }

    private static ScalarType ParseDType(string path, string name, string? dtype) => dtype switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw Bad(path, $"tensor '{name}': unsupported dtype '{dtype}' (expected F64, F32, F16, BF16, I64, I32, I16, I8, U8 or BOOL)"),
    };

    private static string FormatDType(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"safetensors cannot hold {dtype} tensors", nameof(dtype)),
    };

    private static SeqRecException Bad(string path, string what) => new($"{path}: not a valid safetensors file: {what}");
}
