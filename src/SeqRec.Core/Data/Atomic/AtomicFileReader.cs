using System.Runtime.CompilerServices;
using System.Text;

namespace SeqRec.Data.Atomic;

/// <summary>
/// Reads RecBole atomic files (<c>.inter</c>, <c>.item</c>, <c>.user</c>): a header of <c>name:type</c> fields, then
/// one row per line, fields split by a separator (tab by default). The file is streamed; a row allocates nothing
/// beyond its parsed values and new distinct tokens. Blank lines are skipped, as pandas does for RecBole.
/// </summary>
public static class AtomicFileReader
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static AtomicTable Read(string path, AtomicReadOptions? options = null)
    {
        options ??= new AtomicReadOptions();
        if (!File.Exists(path))
            throw new SeqRecException($"{path}: file not found" + (Directory.Exists(Path.GetDirectoryName(path)) ? "" : " (its folder does not exist either)"));

        using var lines = new LineReader(new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));
        if (!lines.TryReadLine(out var headerLine) || headerLine.IsWhiteSpace())
            throw new SeqRecException($"{path}: the file is empty; expected a header line such as 'user_id:token{Tab(options)}item_id:token{Tab(options)}timestamp:float'");

        var fields = ParseHeader(path, headerLine, options.FieldSeparator);
        var builders = SelectColumns(path, fields, options);
        var lineNumbers = new GrowableArray<int>(1 << 14);

        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty) continue;
            ReadRow(path, lines.LineNumber, line, fields, builders, options.FieldSeparator);
            lineNumbers.Add(lines.LineNumber);
        }

        var columns = new List<AtomicColumn>();
        foreach (var builder in builders)
        {
            if (builder is not null) columns.Add(builder.Build());
        }
        return new AtomicTable(path, fields, lineNumbers.ToArray(), columns);
    }

    private static string Tab(AtomicReadOptions options) => options.FieldSeparator == '\t' ? "\\t" : options.FieldSeparator.ToString();

    private static List<AtomicField> ParseHeader(string path, ReadOnlySpan<char> header, char separator)
    {
        var fields = new List<AtomicField>();
        var column = 0;
        foreach (var range in header.Split(separator))
        {
            column++;
            var entry = header[range];
            var where = $"{path}:1: column {column} ('{entry}')";
            var colon = entry.LastIndexOf(':');
            if (colon < 0)
                throw new SeqRecException($"{where}: header field has no type; expected name:type with type {TypeList()}");
            var name = entry[..colon].Trim();
            if (name.IsEmpty)
                throw new SeqRecException($"{where}: header field has no name; expected name:type");
            if (!AtomicFieldTypes.TryParse(entry[(colon + 1)..].Trim(), out var type))
                throw new SeqRecException($"{where}: unknown type '{entry[(colon + 1)..]}'; expected {TypeList()}");
            var fieldName = name.ToString();
            if (fields.Any(f => f.Name == fieldName))
                throw new SeqRecException($"{where}: column '{fieldName}' appears twice in the header");
            fields.Add(new AtomicField(fieldName, type, column));
        }
        return fields;
    }

    private static string TypeList() => string.Join(", ", AtomicFieldTypes.Names);

    private static ColumnBuilder?[] SelectColumns(string path, List<AtomicField> fields, AtomicReadOptions options)
    {
        var builders = new ColumnBuilder?[fields.Count];
        if (options.Columns is null)
        {
            for (var i = 0; i < fields.Count; i++) builders[i] = ColumnBuilder.For(fields[i], options.SeqSeparator);
            return builders;
        }
        foreach (var name in options.Columns.Distinct(StringComparer.Ordinal))
        {
            var index = fields.FindIndex(f => f.Name == name);
            if (index < 0)
            {
                var role = options.ColumnRoles is not null && options.ColumnRoles.TryGetValue(name, out var r) ? $" ({r})" : "";
                throw new SeqRecException(
                    $"{path}:1: the header has no column '{name}'{role}; its columns are {string.Join(", ", fields.Select(f => f.Name))}");
            }
            builders[index] = ColumnBuilder.For(fields[index], options.SeqSeparator);
        }
        return builders;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadRow(string path, int lineNumber, ReadOnlySpan<char> line, List<AtomicField> fields, ColumnBuilder?[] builders, char separator)
    {
        var rest = line;
        var column = 0;
        while (true)
        {
            if (column == fields.Count) throw WrongFieldCount(path, lineNumber, line, separator, fields);
            var end = rest.IndexOf(separator);
            var cell = end < 0 ? rest : rest[..end];
            if (builders[column] is { } builder && builder.Add(cell) is { } error)
                throw new SeqRecException($"{path}:{lineNumber}: column {column + 1} ({fields[column].Name}): {error}");
            column++;
            if (end < 0) break;
            rest = rest[(end + 1)..];
        }
        if (column != fields.Count) throw WrongFieldCount(path, lineNumber, line, separator, fields);
    }

    private static SeqRecException WrongFieldCount(string path, int lineNumber, ReadOnlySpan<char> line, char separator, List<AtomicField> fields)
    {
        var count = line.Count(separator) + 1;
        var separatorName = separator == '\t' ? "tab" : $"'{separator}'";
        return new SeqRecException(
            $"{path}:{lineNumber}: {count} fields, expected {fields.Count} ({string.Join(", ", fields.Select(f => f.Name))}) separated by {separatorName}");
    }
}
