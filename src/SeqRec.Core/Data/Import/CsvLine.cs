using System.Text;

namespace SeqRec.Data.Import;

/// <summary>Splits one CSV line (RFC 4180 quoting: "a ""quoted"" field") into its fields.</summary>
internal static class CsvLine
{
    /// <summary>Fills <paramref name="fields"/>; returns an error text or null.</summary>
    public static string? Split(ReadOnlySpan<char> line, char delimiter, List<string> fields, StringBuilder scratch)
    {
        fields.Clear();
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                scratch.Clear();
                i++;
                while (true)
                {
                    if (i >= line.Length) return "a quoted field is not closed (quoted fields cannot span lines)";
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            scratch.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    scratch.Append(line[i++]);
                }
                fields.Add(scratch.ToString());
                if (i < line.Length && line[i] != delimiter)
                    return $"unexpected '{line[i]}' after a quoted field (position {i + 1})";
            }
            else
            {
                var end = line[i..].IndexOf(delimiter);
                var field = end < 0 ? line[i..] : line.Slice(i, end);
                fields.Add(field.ToString());
                i += field.Length;
            }
            if (i >= line.Length) return null;
            i++; // the delimiter
        }
    }
}
