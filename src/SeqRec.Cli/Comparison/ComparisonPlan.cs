using SeqRec.Configuration;
using SeqRec.Statistics;

namespace SeqRec.Cli.Comparison;

/// <summary>One compared configuration: a registered model, or a config file that names its model.</summary>
/// <param name="Label">Its name in tables and in the output folder: the model id, or the file's name without extension.</param>
public sealed record ComparisonEntry(string Label, string? Model, string? File)
{
    /// <summary>An entry as written in <c>--models</c>: a model id, or a path to a .toml/.yaml/.yml file.</summary>
    public static ComparisonEntry Parse(string text)
    {
        var isFile = text.EndsWith(".toml", StringComparison.OrdinalIgnoreCase) || text.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
            || text.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        if (!isFile) return new ComparisonEntry(text, text, null);
        if (!System.IO.File.Exists(text)) throw new SeqRecException($"--models: config file '{text}' not found");
        return new ComparisonEntry(Path.GetFileNameWithoutExtension(text), null, Path.GetFullPath(text));
    }
}

/// <summary>
/// What <c>seqrec compare</c> runs: every entry once per seed, on the shared files and overrides, each run in
/// <c>&lt;folder&gt;/&lt;label&gt;/seed-&lt;seed&gt;</c>, and which entry the others are tested against.
/// </summary>
public sealed record ComparisonPlan(
    IReadOnlyList<ComparisonEntry> Entries,
    IReadOnlyList<long> Seeds,
    string Baseline,
    PairedTestKind Test,
    ConfigRequest Shared,
    string Folder)
{
    public ComparisonPlan Validate()
    {
        if (Entries.Count == 0) throw new SeqRecException("--models: name at least one model or config file");
        if (Entries.GroupBy(e => e.Label, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new SeqRecException($"--models: '{twice.Key}' is named twice; every entry needs its own label (rename one of the config files)");
        if (Seeds.Count == 0) throw new SeqRecException("--seeds: give at least one seed");
        if (Seeds.Distinct().Count() != Seeds.Count) throw new SeqRecException($"--seeds: a seed is repeated ({string.Join(", ", Seeds)})");
        if (Entries.All(e => e.Label != Baseline))
            throw new SeqRecException($"--baseline: '{Baseline}' is not among the compared entries ({string.Join(", ", Entries.Select(e => e.Label))})");
        return this;
    }

    /// <summary>The configuration request of one run: shared files, then the entry's file, then overrides and the seed.</summary>
    public ConfigRequest RequestFor(ComparisonEntry entry, long seed) => EntryRequest(Shared, entry) with
    {
        Sets = [.. Shared.Sets, $"trainer.seed={seed}"],
    };

    /// <summary>An entry's configuration before its seed is set: shared files, then the entry's file, then overrides.</summary>
    public static ConfigRequest EntryRequest(ConfigRequest shared, ComparisonEntry entry) => shared with
    {
        Model = entry.Model ?? shared.Model,
        Files = entry.File is null ? shared.Files : [.. shared.Files, entry.File],
    };

    public string RunFolder(ComparisonEntry entry, long seed) => Path.Combine(Folder, entry.Label, $"seed-{seed}");
}
