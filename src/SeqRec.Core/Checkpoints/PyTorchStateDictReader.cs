using System.IO.Compression;
using static TorchSharp.torch;

namespace SeqRec.Checkpoints;

/// <summary>
/// Reads a file written by PyTorch's <c>torch.save(model.state_dict(), path)</c>: a zip archive holding
/// <c>data.pkl</c> (the pickled dict, whose tensors refer to storages by key) and one <c>data/&lt;key&gt;</c> entry
/// of raw little-endian bytes per storage.
/// </summary>
public static class PyTorchStateDictReader
{
    /// <summary>The tensors in the file, by state-dict name. The caller owns (and disposes) them.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new SeqRecException($"{path}: weights file not found");
        var storages = new List<Tensor>();
        try
        {
            using var archive = ZipFile.OpenRead(path);
            var pickle = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || e.FullName == "data.pkl")
                ?? throw new InvalidDataException("no data.pkl in the archive");
            var prefix = pickle.FullName[..^"data.pkl".Length];
            if (archive.GetEntry(prefix + "byteorder") is { } order && ReadAll(order) is var text && System.Text.Encoding.ASCII.GetString(text) != "little")
                throw new InvalidDataException("big-endian tensors are not supported");

            using var stream = pickle.Open();
            var machine = new TorchPickle(stream,
                reduce: (callable, args) => Reduce(callable, args),
                persistentLoad: id => LoadStorage(archive, prefix, id, storages));
            var root = machine.Load() as Dictionary<object, object?> ?? throw new InvalidDataException("the pickled object is not a dict");

            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (key, value) in root)
            {
                if (key is not string name || value is not Tensor tensor)
                    throw new InvalidDataException($"entry '{key}' is not a named tensor; save model.state_dict(), not the model or a checkpoint dict");
                result[name] = tensor;
            }
            return result;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or InvalidCastException or KeyNotFoundException)
        {
            throw new SeqRecException($"{path}: not a PyTorch state dict saved with torch.save(model.state_dict()) ({e.Message})", e);
        }
        finally
        {
            foreach (var storage in storages) storage.Dispose();
        }
    }

    private static object? Reduce(PickleGlobal callable, object?[] args) => callable.ToString() switch
    {
        "collections.OrderedDict" => new Dictionary<object, object?>(),
        "torch._utils._rebuild_tensor_v2" or "torch._utils._rebuild_tensor" => RebuildTensor(args),
        "torch._utils._rebuild_parameter" => args[0],
        _ => throw new InvalidDataException($"unsupported pickled object {callable}"),
    };

    // (storage, storage_offset, size, stride, ...): a strided view of the storage, copied into its own tensor.
    private static Tensor RebuildTensor(object?[] args)
    {
        var storage = (Tensor)args[0]!;
        var offset = (long)args[1]!;
        var size = ((object?[])args[2]!).Select(s => (long)s!).ToArray();
        var stride = ((object?[])args[3]!).Select(s => (long)s!).ToArray();
        using var view = storage.as_strided(size, stride, offset);
        return view.clone();
    }

    // ('storage', torch.FloatStorage, key, location, numel): the raw bytes of data/<key> as a 1-D tensor.
    private static Tensor LoadStorage(ZipArchive archive, string prefix, object? id, List<Tensor> storages)
    {
        var fields = id as object?[] ?? throw new InvalidDataException("unexpected persistent id");
        if (fields.Length < 5 || fields[0] as string != "storage" || fields[1] is not PickleGlobal type)
            throw new InvalidDataException("unexpected persistent id");
        var dtype = StorageType(type.Name);
        var numel = (long)fields[4]!;
        var entry = archive.GetEntry($"{prefix}data/{fields[2]}") ?? throw new InvalidDataException($"storage data/{fields[2]} is missing");
        var storage = empty(numel, dtype);
        storages.Add(storage);
        var bytes = ReadAll(entry);
        if (bytes.Length < numel * storage.ElementSize)
            throw new InvalidDataException($"storage data/{fields[2]} holds {bytes.Length} bytes, expected {numel * storage.ElementSize}");
        storage.bytes = bytes.AsSpan(0, (int)(numel * storage.ElementSize));
        return storage;
    }

    private static ScalarType StorageType(string name) => name switch
    {
        "FloatStorage" => ScalarType.Float32,
        "DoubleStorage" => ScalarType.Float64,
        "HalfStorage" => ScalarType.Float16,
        "BFloat16Storage" => ScalarType.BFloat16,
        "LongStorage" => ScalarType.Int64,
        "IntStorage" => ScalarType.Int32,
        "ShortStorage" => ScalarType.Int16,
        "CharStorage" => ScalarType.Int8,
        "ByteStorage" => ScalarType.Byte,
        "BoolStorage" => ScalarType.Bool,
        _ => throw new InvalidDataException($"unsupported storage type {name}"),
    };

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
