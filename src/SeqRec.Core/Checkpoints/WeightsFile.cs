using static TorchSharp.torch;

namespace SeqRec.Checkpoints;

/// <summary>Weights from a PyTorch state-dict file or a safetensors file, recognised by their first bytes.</summary>
public static class WeightsFile
{
    /// <summary>Reads the named tensors of <paramref name="path"/>; the caller owns (and disposes) them.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new SeqRecException($"{path}: weights file not found");
        return IsZip(path) ? PyTorchStateDictReader.Read(path) : SafeTensorsFile.Read(path).Tensors;
    }

    /// <summary>Reads <paramref name="path"/> and loads it into <paramref name="module"/> with the name and shape checks of <see cref="StateDict.Apply"/>.</summary>
    public static void LoadInto(nn.Module module, string path)
    {
        var weights = Read(path);
        try
        {
            StateDict.Apply(module, weights, path);
        }
        finally
        {
            foreach (var tensor in weights.Values) tensor.Dispose();
        }
    }

    /// <summary>Saves <paramref name="module"/>'s state dict as safetensors, with optional metadata strings.</summary>
    public static void Save(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensorsFile.Write(path, module.state_dict(), metadata);

    // torch.save writes a zip archive (local file header "PK\x03\x04"); safetensors starts with a header length.
    private static bool IsZip(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.Read(magic) == 4 && magic.SequenceEqual("PK\x03\x04"u8);
    }
}
