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
    /// <summary>Largest data.pkl read: it holds the names, shapes and storage keys, not the tensors' data.</summary>
    public const int MaxPickleBytes = 64 << 20;

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

            if (pickle.Length > MaxPickleBytes) throw new InvalidDataException($"data.pkl declares {pickle.Length} bytes; a state dict's pickle holds names and shapes, at most {MaxPickleBytes}");
            using var stream = new MemoryStream(ReadAtMost(pickle, (int)pickle.Length));
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
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            // A last line: libtorch refusing a tensor the checks above let through is still the file's fault.
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

    // (storage, storage_offset, size, stride, ...): a strided view of the storage, copied into its own tensor. Every
    // element the view reaches must lie inside the storage, checked before libtorch sees the numbers.
    private static Tensor RebuildTensor(object?[] args)
    {
        if (args.Length < 4 || args[0] is not Tensor storage || args[1] is not long offset || args[2] is not object?[] sizes || args[3] is not object?[] strides)
            throw new InvalidDataException("a tensor is rebuilt from arguments other than (storage, offset, size, stride)");
        if (sizes.Length != strides.Length || sizes.Length > 64) throw new InvalidDataException($"a tensor has {sizes.Length} sizes and {strides.Length} strides");
        var size = sizes.Select(s => s is long n and >= 0 ? n : throw new InvalidDataException("a tensor size is negative or not an integer")).ToArray();
        var stride = strides.Select(s => s is long n and >= 0 ? n : throw new InvalidDataException("a tensor stride is negative or not an integer")).ToArray();
        var capacity = storage.numel();
        try
        {
            checked
            {
                var last = offset;
                foreach (var (n, step) in size.Zip(stride)) last += n == 0 ? 0 : (n - 1) * step;
                var empty = size.Any(n => n == 0);
                if (offset < 0 || (!empty && last >= capacity))
                    throw new InvalidDataException($"a tensor of shape [{string.Join(", ", size)}] at offset {offset} reaches past its storage of {capacity} elements");
            }
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"a tensor's shape [{string.Join(", ", size)}] and strides overflow");
        }
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
        if (fields[4] is not long numel || numel < 0) throw new InvalidDataException("a storage's element count is negative or not an integer");
        var entry = archive.GetEntry($"{prefix}data/{fields[2]}") ?? throw new InvalidDataException($"storage data/{fields[2]} is missing");
        // The element count is checked against the entry's size before anything is allocated, and no more than that
        // many bytes are inflated, whatever the archive claims.
        var elementSize = ElementSize(dtype);
        if (numel > int.MaxValue / elementSize || numel * elementSize > entry.Length)
            throw new InvalidDataException($"storage data/{fields[2]} claims {numel} elements; the entry holds {entry.Length} bytes");
        var expected = (int)(numel * elementSize);
        var bytes = ReadAtMost(entry, expected);
        if (bytes.Length < expected)
            throw new InvalidDataException($"storage data/{fields[2]} holds {bytes.Length} bytes, expected {expected}");
        var storage = empty(numel, dtype);
        storages.Add(storage);
        storage.bytes = bytes;
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

    private static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    private static byte[] ReadAll(ZipArchiveEntry entry) => ReadAtMost(entry, 4096);

    /// <summary>At most <paramref name="limit"/> bytes of an entry: an entry that inflates beyond what it should hold is never read whole.</summary>
    private static byte[] ReadAtMost(ZipArchiveEntry entry, int limit)
    {
        using var stream = entry.Open();
        var buffer = new byte[limit];
        var read = 0;
        while (read < limit && stream.Read(buffer, read, limit - read) is var n and > 0) read += n;
        return read == limit ? buffer : buffer[..read];
    }
}
