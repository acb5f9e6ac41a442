using static TorchSharp.torch;

namespace SeqRec.Checkpoints;

/// <summary>Copies named weights into a module after checking that names and shapes match exactly.</summary>
public static class StateDict
{
    /// <summary>
    /// Loads <paramref name="weights"/> into <paramref name="module"/> (parameters and buffers, by state-dict name).
    /// Every missing key, unexpected key and shape mismatch is reported at once in one <see cref="SeqRecException"/>
    /// naming <paramref name="source"/>; nothing is copied unless all match.
    /// </summary>
    public static void Apply(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string source)
    {
        var targets = module.state_dict();
        var problems = Check(targets, weights);
        if (problems.Count > 0)
            throw new SeqRecException($"{source}: the weights do not fit the model:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");

        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
            target.copy_(weights[name]);
    }

    /// <summary>The mismatches between a module's state dict and <paramref name="weights"/>, one line per kind.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyDictionary<string, Tensor> targets, IReadOnlyDictionary<string, Tensor> weights)
    {
        var problems = new List<string>();
        var missing = targets.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        var unexpected = weights.Keys.Where(k => !targets.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var shapes = targets.Where(t => weights.TryGetValue(t.Key, out var w) && !w.shape.SequenceEqual(t.Value.shape))
            .Select(t => $"{t.Key}: file {Shape(weights[t.Key])}, model {Shape(t.Value)}").ToList();
        var types = targets.Where(t => weights.TryGetValue(t.Key, out var w) && !Convertible(w.dtype, t.Value.dtype))
            .Select(t => $"{t.Key}: file {weights[t.Key].dtype}, model {t.Value.dtype}").ToList();
        if (missing.Count > 0) problems.Add($"missing keys ({missing.Count}): {string.Join(", ", missing)}");
        if (unexpected.Count > 0) problems.Add($"unexpected keys ({unexpected.Count}): {string.Join(", ", unexpected)}");
        if (shapes.Count > 0) problems.Add($"shape mismatches ({shapes.Count}): {string.Join("; ", shapes)}");
        if (types.Count > 0) problems.Add($"type mismatches ({types.Count}): {string.Join("; ", types)}");
        return problems;
    }

    private static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";

    private static bool Convertible(ScalarType from, ScalarType to) =>
        from == to || (is_floating_point(from) && is_floating_point(to));

    private static bool is_floating_point(ScalarType type) =>
        type is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;
}
