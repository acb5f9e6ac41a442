using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SeqRec.Checkpoints;

/// <summary>Reads a file written by PyTorch's <c>torch.save(model.state_dict(), path)</c> (the zip format).</summary>
public static class PyTorchStateDictReader
{
    /// <summary>The tensors in the file, by state-dict name. The caller owns (and disposes) them.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new SeqRecException($"{path}: weights file not found");
        // PyBridge only exposes "unpickle into a module"; this module records what it is asked to load instead.
        using var capture = new Capture();
        try
        {
            capture.load_py(path, strict: false);
        }
        catch (Exception e) when (e is not SeqRecException)
        {
            throw new SeqRecException($"{path}: not a PyTorch state dict saved with torch.save(model.state_dict()) ({e.Message})", e);
        }
        return capture.Loaded ?? throw new SeqRecException($"{path}: no state dict found in the file");
    }

    private sealed class Capture() : nn.Module(nameof(Capture))
    {
        public Dictionary<string, Tensor>? Loaded { get; private set; }

        public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(
            Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null)
        {
            Loaded = new Dictionary<string, Tensor>(source, StringComparer.Ordinal);
            return ([], []);
        }
    }
}
