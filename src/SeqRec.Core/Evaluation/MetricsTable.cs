using System.Globalization;
using System.Text;

namespace SeqRec.Evaluation;

/// <summary>A plain-text table of metrics, one row per metric key and one column per set (e.g. valid and test).</summary>
public static class MetricsTable
{
    public static string Format(IReadOnlyList<(string Title, MetricValues Values)> columns)
    {
        var keys = columns.SelectMany(c => c.Values.Keys).Distinct(StringComparer.Ordinal).ToList();
        var keyWidth = Math.Max("metric".Length, keys.Count == 0 ? 0 : keys.Max(k => k.Length));
        var widths = columns.Select(c => Math.Max(c.Title.Length, 6)).ToArray();

        var text = new StringBuilder();
        text.Append("metric".PadRight(keyWidth));
        for (var c = 0; c < columns.Count; c++) text.Append("  ").Append(columns[c].Title.PadLeft(widths[c]));
        text.AppendLine();
        text.Append(new string('-', keyWidth + widths.Sum(w => w + 2))).AppendLine();
        foreach (var key in keys)
        {
            text.Append(key.PadRight(keyWidth));
            for (var c = 0; c < columns.Count; c++)
            {
                var cell = columns[c].Values.TryGetValue(key, out var value) ? value.ToString("F4", CultureInfo.InvariantCulture) : "-";
                text.Append("  ").Append(cell.PadLeft(widths[c]));
            }
            text.AppendLine();
        }
        return text.ToString();
    }
}
