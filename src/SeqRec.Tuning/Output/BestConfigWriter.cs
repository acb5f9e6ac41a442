using System.Globalization;
using System.Text;
using SeqRec.Configuration;
using SeqRec.Tuning.Engine;

namespace SeqRec.Tuning.Output;

/// <summary>
/// What every trial of a study shares besides its sampled values: the model, the dataset and the <c>--set</c>
/// overrides given to <c>seqrec tune</c>, and the config files it layered. The best configuration repeats them, so
/// <c>seqrec run --config best.toml</c> trains the best trial again.
/// </summary>
public sealed record StudyBase(string? Model, string? Dataset, IReadOnlyList<string> Files, IReadOnlyList<string> Sets, IReadOnlyList<ConfigSectionInfo> Sections);

/// <summary>Renders a trial's configuration as TOML section tables (<c>[trainer]</c>, <c>[lightsans]</c>, ...).</summary>
public static class BestConfigWriter
{
    public static string Render(StudyBase study, TrialRecord trial, string studyName)
    {
        var errors = new ConfigErrors();
        var sets = study.Sets.ToList();
        if (study.Dataset is { } dataset) sets.Add($"{DataConfig.SectionName}.dataset={TomlConfigWriter.Value(dataset)}");
        var root = ConfigOverrides.FromSetArguments(sets, errors);
        FlatKeys.MoveIntoSections(root, study.Sections, errors);
        if (errors.HasErrors) throw new SeqRecException(errors.ToString());
        foreach (var (path, value) in trial.Parameters.Values)
        {
            var dot = path.IndexOf('.');
            root.GetOrAddTable(path[..dot], ConfigSource.Code).Set(path[(dot + 1)..], new ConfigScalar(value, ConfigSource.Code));
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Best trial {trial.Number} of study '{studyName}': valid score {trial.BestValid?.ToString("R", CultureInfo.InvariantCulture) ?? "none"}\n");
        if (study.Files.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $"# Tuned on top of {string.Join(", ", study.Files)}: pass them first (seqrec run {string.Join(" ", study.Files.Select(f => "-c " + f))} -c <this file>)\n");
        if (study.Model is { } model) text.Append(ConfigResolver.ModelKey).Append(" = ").Append(TomlConfigWriter.Value(model)).Append('\n');
        foreach (var (key, node) in root.Items.Where(i => i.Value is not ConfigTable)) text.Append(key).Append(" = ").Append(Value(node)).Append('\n');
        foreach (var (key, node) in root.Items)
        {
            if (node is ConfigTable table) WriteTable(text, key, table);
        }
        return text.ToString();
    }

    private static void WriteTable(StringBuilder text, string name, ConfigTable table)
    {
        text.Append('\n').Append('[').Append(name).Append("]\n");
        foreach (var (key, node) in table.Items.Where(i => i.Value is not ConfigTable)) text.Append(key).Append(" = ").Append(Value(node)).Append('\n');
        foreach (var (key, node) in table.Items)
        {
            if (node is ConfigTable child) WriteTable(text, $"{name}.{key}", child);
        }
    }

    private static string Value(ConfigNode node) => node switch
    {
        ConfigScalar scalar => TomlConfigWriter.Value(scalar.Value),
        ConfigArray array => "[" + string.Join(", ", array.Items.Select(Value)) + "]",
        _ => throw new InvalidOperationException("tables are written as sections"),
    };
}
