using SeqRec.Configuration;

namespace SeqRec.Runs;

/// <summary>
/// Refuses a checkpoint whose stored configuration asks for a model much larger than the weights it holds, before the
/// model is built: a few hundred bytes of config could otherwise make the loader allocate gigabytes. Every integer
/// setting of the model's section above <see cref="FreeBound"/> must be a dimension of some stored weight, whose
/// bytes are in the file (<see cref="ModelCheckpoint.ReadWeightShapes"/>); below it, sizes multiply to at most a few
/// hundred megabytes.
/// </summary>
public static class CheckpointSizeCheck
{
    public const long FreeBound = 256;

    public static void Check(string path, CheckpointInfo info)
    {
        var config = TomlConfigReader.Read(info.ConfigToml, $"{path} (stored config)", new ConfigErrors());
        if (config?[info.Model] is not ConfigTable section) return;
        var large = section.Items
            .Select(item => (item.Key, Value: (item.Value as ConfigScalar)?.Value as long?))
            .Where(item => item.Value > FreeBound)
            .ToList();
        if (large.Count == 0) return;
        var shapes = ModelCheckpoint.ReadWeightShapes(path);
        var dimensions = shapes.SelectMany(s => s.Shape).ToHashSet();
        var unbacked = large.Where(item => !dimensions.Contains(item.Value!.Value)).ToList();
        if (unbacked.Count == 0) return;
        var largest = dimensions.Count > 0 ? dimensions.Max() : 0;
        throw new SeqRecException($"{path}: its stored config sets {string.Join(", ", unbacked.Select(u => $"{info.Model}.{u.Key} = {u.Value}"))}, " +
            $"but no stored weight has such a dimension (the largest is {largest}): the configuration does not describe these weights, and the model is not built");
    }
}
