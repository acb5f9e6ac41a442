using System.Globalization;
using SeqRec.Data.Atomic;

namespace SeqRec.Data.Import;

/// <summary>Converts MovieLens-100K's <c>u.data</c> (user, item, rating, timestamp; tab-separated) to an atomic <c>.inter</c> file.</summary>
public static class MovieLensConverter
{
    public const string InterHeader = "user_id:token\titem_id:token\trating:float\ttimestamp:float";

    /// <summary>Copies every row after checking it; returns the number of interactions.</summary>
    /// <param name="sourceName">Names the input in messages, e.g. <c>ml-100k.zip:ml-100k/u.data</c>.</param>
    public static int ConvertUData(TextReader uData, TextWriter inter, string sourceName)
    {
        inter.Write(InterHeader);
        inter.Write('\n');
        using var lines = new LineReader(uData);
        var rows = 0;
        while (lines.TryReadLine(out var line))
        {
            if (line.IsWhiteSpace()) continue;
            var column = 0;
            foreach (var range in line.Split('\t'))
            {
                column++;
                if (column > 4) break;
                var cell = line[range].Trim();
                var valid = column <= 2
                    ? cell.Length > 0 && long.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                    : double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                if (!valid)
                    throw new SeqRecException($"{sourceName}:{lines.LineNumber}: column {column}: '{cell}' is not {(column <= 2 ? "an integer id" : "a number")}");
                if (column > 1) inter.Write('\t');
                inter.Write(cell);
            }
            if (column != 4)
                throw new SeqRecException($"{sourceName}:{lines.LineNumber}: {column} fields, expected 4 (user, item, rating, timestamp) separated by tabs");
            inter.Write('\n');
            rows++;
        }
        if (rows == 0) throw new SeqRecException($"{sourceName}: no interactions");
        return rows;
    }
}
