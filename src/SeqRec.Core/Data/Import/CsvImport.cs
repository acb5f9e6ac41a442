using System.Globalization;
using System.Text;
using SeqRec.Data.Atomic;

namespace SeqRec.Data.Import;

/// <summary>What to import: the CSV, its column names, and where the atomic files go.</summary>
public sealed record CsvImportOptions(string CsvPath, string UserColumn, string ItemColumn, string TimeColumn, string Name, string OutFolder)
{
    public string? RatingColumn { get; init; }
    public char Delimiter { get; init; } = ',';
}

/// <summary>What <see cref="CsvImport.Run"/> wrote.</summary>
public sealed record CsvImportResult(string InterPath, int Interactions);

/// <summary>
/// Converts a CSV with a header row into an atomic <c>&lt;out&gt;/&lt;name&gt;/&lt;name&gt;.inter</c> with columns
/// user_id, item_id, [rating,] timestamp. Timestamps may be numbers (kept as they are) or dates such as
/// <c>2021-03-04T12:00:00Z</c> (converted to Unix seconds; without an offset they are taken as UTC).
/// </summary>
public static class CsvImport
{
    public static CsvImportResult Run(CsvImportOptions options)
    {
        if (!File.Exists(options.CsvPath)) throw new SeqRecException($"{options.CsvPath}: file not found");
        if (options.Name.Length == 0 || options.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || options.Name is "." or "..")
            throw new SeqRecException($"--name '{options.Name}' is not a valid dataset name (it becomes a folder and file name)");
        if (options.Delimiter is '"' or '\n' or '\r')
            throw new SeqRecException($"--delimiter '{options.Delimiter}' cannot separate CSV fields");

        var interPath = Path.Combine(options.OutFolder, options.Name, $"{options.Name}.inter");
        var rows = 0;
        AtomicFileWrite.Write(interPath, writer => rows = Convert(options, writer));
        return new CsvImportResult(interPath, rows);
    }

    private static int Convert(CsvImportOptions options, TextWriter writer)
    {
        var path = options.CsvPath;
        using var lines = new LineReader(new StreamReader(path, Encoding.UTF8, true));
        var fields = new List<string>();
        var scratch = new StringBuilder();
        if (!lines.TryReadLine(out var header) || header.IsWhiteSpace())
            throw new SeqRecException($"{path}: the file is empty; expected a header row naming the columns");
        if (CsvLine.Split(header, options.Delimiter, fields, scratch) is { } headerError)
            throw new SeqRecException($"{path}:1: {headerError}");
        var names = fields.Select(f => f.Trim()).ToList();
        var user = ColumnIndex(path, names, options.UserColumn, "--user", options.Delimiter);
        var item = ColumnIndex(path, names, options.ItemColumn, "--item", options.Delimiter);
        var time = ColumnIndex(path, names, options.TimeColumn, "--time", options.Delimiter);
        var rating = options.RatingColumn is { } r ? ColumnIndex(path, names, r, "--rating", options.Delimiter) : -1;

        writer.Write(rating >= 0 ? "user_id:token\titem_id:token\trating:float\ttimestamp:float\n" : "user_id:token\titem_id:token\ttimestamp:float\n");
        var count = 0;
        while (lines.TryReadLine(out var line))
        {
            if (line.IsWhiteSpace()) continue;
            var where = $"{path}:{lines.LineNumber}";
            if (CsvLine.Split(line, options.Delimiter, fields, scratch) is { } error) throw new SeqRecException($"{where}: {error}");
            if (fields.Count != names.Count)
                throw new SeqRecException($"{where}: {fields.Count} fields, expected {names.Count} as in the header");
            writer.Write(Token(fields[user], where, names[user]));
            writer.Write('\t');
            writer.Write(Token(fields[item], where, names[item]));
            if (rating >= 0)
            {
                writer.Write('\t');
                writer.Write(Number(fields[rating], where, names[rating]));
            }
            writer.Write('\t');
            writer.Write(Timestamp(fields[time], where, names[time]));
            writer.Write('\n');
            count++;
        }
        if (count == 0) throw new SeqRecException($"{path}: the file has a header but no rows");
        return count;
    }

    private static int ColumnIndex(string path, List<string> names, string column, string option, char delimiter)
    {
        var index = names.IndexOf(column);
        if (index >= 0) return index;
        var hint = names.Count == 1 && delimiter == ',' ? " (the header has one column; is the delimiter right? see --delimiter)" : "";
        throw new SeqRecException($"{path}:1: {option} '{column}' is not a column; the header has {string.Join(", ", names)}{hint}");
    }

    private static string Token(string cell, string where, string column)
    {
        var token = cell.Trim();
        if (token.Length == 0) throw new SeqRecException($"{where}: column '{column}' is empty; every interaction needs a user and an item");
        if (token.Contains('\t')) throw new SeqRecException($"{where}: column '{column}' contains a tab, which atomic files use as separator");
        return token;
    }

    private static string Number(string cell, string where, string column)
    {
        var text = cell.Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            throw new SeqRecException($"{where}: column '{column}': '{text}' is not a number");
        return text;
    }

    private static string Timestamp(string cell, string where, string column)
    {
        var text = cell.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)) return text;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var milliseconds = date.ToUnixTimeMilliseconds();
            return milliseconds % 1000 == 0
                ? (milliseconds / 1000).ToString(CultureInfo.InvariantCulture)
                : (milliseconds / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        }
        throw new SeqRecException($"{where}: column '{column}': '{text}' is neither a number nor a date such as 2021-03-04T12:00:00Z");
    }
}
