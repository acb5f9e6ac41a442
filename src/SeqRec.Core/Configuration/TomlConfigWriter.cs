using System.Collections;
using System.Globalization;
using System.Text;

namespace SeqRec.Configuration;

/// <summary>Writes a resolved configuration as TOML that <c>seqrec run --config</c> reads back unchanged.</summary>
public static class TomlConfigWriter
{
    public static string Write(ResolvedConfig config)
    {
        var text = new StringBuilder();
        text.Append("# Resolved SeqRec configuration\n");
        text.Append(ConfigResolver.ModelKey).Append(" = ").Append(Value(config.Model.Id)).Append('\n');
        WriteSection(text, DataConfig.SectionName, config.Data);
        WriteSection(text, TrainerConfig.SectionName, config.Trainer);
        WriteSection(text, EvalConfig.SectionName, config.Eval);
        WriteSection(text, config.Model.Config.Name, config.ModelConfig);
        return text.ToString();
    }

    public static void WriteSection(StringBuilder text, string name, IConfigSection section)
    {
        text.Append('\n').Append('[').Append(name).Append("]\n");
        foreach (var (key, value) in section.GetValues())
        {
            if (value is null) text.Append("# ").Append(key).Append(" is unset\n");
            else text.Append(key).Append(" = ").Append(Value(value)).Append('\n');
        }
    }

    /// <summary>One value as a TOML literal, formatted with the invariant culture.</summary>
    public static string Value(object value) => value switch
    {
        string s => Quote(s),
        bool b => b ? "true" : "false",
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        IFormattable number and (int or long) => number.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object>().Select(Value)) + "]",
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static string FormatDouble(double d)
    {
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        if (double.IsNaN(d)) return "nan";
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text.Replace("E", "e", StringComparison.Ordinal) : text + ".0";
    }

    private static string Quote(string s)
    {
        var text = new StringBuilder("\"");
        foreach (var c in s)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when c < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }
}
