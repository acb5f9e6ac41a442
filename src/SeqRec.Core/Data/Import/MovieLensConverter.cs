using System.Globalization;
using SeqRec.Data.Atomic;

namespace SeqRec.Data.Import;

/// <summary>
/// Converts MovieLens files to the atomic files RecBole distributes for them. MovieLens-100K: <c>u.data</c> (user,
/// item, rating, timestamp; tab-separated) to <c>.inter</c>, <c>u.item</c> (movies, '|'-separated) to <c>.item</c>,
/// <c>u.user</c> (users, '|'-separated) to <c>.user</c>. MovieLens-1M: <c>ratings.dat</c>, <c>movies.dat</c> and
/// <c>users.dat</c> ('::'-separated) likewise.
/// </summary>
public static class MovieLensConverter
{
    public const string InterHeader = "user_id:token\titem_id:token\trating:float\ttimestamp:float";
    public const string ItemHeader = "item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq";
    public const string UserHeader = "user_id:token\tage:token\tgender:token\toccupation:token\tzip_code:token";
    public const string Ml1mItemHeader = "item_id:token\tmovie_title:token_seq\trelease_year:token\tgenre:token_seq";

    /// <summary>u.item's genre flag columns, in file order (MovieLens' u.genre).</summary>
    public static IReadOnlyList<string> Genres { get; } =
    [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    /// <summary>What RecBole's ml-100k.item holds (sic) for the title and year of the one movie whose title has no year.</summary>
    private const string RecBoleUnknown = "unkonwn";

    private const int ItemFieldsBeforeGenres = 5;

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
                    ? IsId(cell)
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

    /// <summary>
    /// Writes one row per movie: id, title, release year and genres (the names of the set flags). As in RecBole's file,
    /// the year is the title's last parenthesised group, which the title then loses: "Toy Story (1995)" gives
    /// "Toy Story" and 1995. Returns the number of movies.
    /// </summary>
    public static int ConvertUItem(TextReader uItem, TextWriter item, string sourceName)
    {
        item.Write(ItemHeader);
        item.Write('\n');
        var fieldCount = ItemFieldsBeforeGenres + Genres.Count;
        return ConvertRows(uItem, sourceName, "|", fieldCount,
            $"(id, title, release date, video release date, IMDb URL, {Genres.Count} genre flags)", (fields, lineNumber) =>
            {
                var (title, year) = TitleAndYear(fields[1]);
                var genres = new List<string>();
                for (var g = 0; g < Genres.Count; g++)
                {
                    var flag = fields[ItemFieldsBeforeGenres + g];
                    if (flag is not ("0" or "1"))
                        throw new SeqRecException($"{sourceName}:{lineNumber}: column {ItemFieldsBeforeGenres + g + 1} ({Genres[g]}): '{flag}' is not a 0/1 genre flag");
                    if (flag == "1") genres.Add(Genres[g]);
                }
                item.Write($"{fields[0]}\t{title}\t{year}\t{string.Join(' ', genres)}\n");
            });
    }

    /// <summary>Writes one row per user: id, age, gender, occupation, zip code. Returns the number of users.</summary>
    public static int ConvertUUser(TextReader uUser, TextWriter user, string sourceName)
    {
        user.Write(UserHeader);
        user.Write('\n');
        return ConvertRows(uUser, sourceName, "|", 5, "(id, age, gender, occupation, zip code)",
            (fields, _) => user.Write(string.Join('\t', fields) + "\n"));
    }

    /// <summary>ml-1m's <c>ratings.dat</c> (<c>user::item::rating::timestamp</c>) as <c>.inter</c>; returns the number of interactions.</summary>
    public static int ConvertRatingsDat(TextReader ratings, TextWriter inter, string sourceName)
    {
        inter.Write(InterHeader);
        inter.Write('\n');
        return ConvertRows(ratings, sourceName, "::", 4, "(user, item, rating, timestamp)", (fields, lineNumber) =>
        {
            for (var column = 1; column < 4; column++)
            {
                if (!double.TryParse(fields[column], NumberStyles.Float, CultureInfo.InvariantCulture, out _) || (column == 1 && !IsId(fields[1])))
                    throw new SeqRecException($"{sourceName}:{lineNumber}: column {column + 1}: '{fields[column]}' is not {(column == 1 ? "an integer id" : "a number")}");
            }
            inter.Write(string.Join('\t', fields) + "\n");
        });
    }

    /// <summary>ml-1m's <c>movies.dat</c> (<c>id::Title (1995)::Genre|Genre</c>) as <c>.item</c>; returns the number of movies.</summary>
    public static int ConvertMoviesDat(TextReader movies, TextWriter item, string sourceName)
    {
        item.Write(Ml1mItemHeader);
        item.Write('\n');
        return ConvertRows(movies, sourceName, "::", 3, "(id, title, genres)", (fields, _) =>
        {
            var (title, year) = TitleAndYear(fields[1]);
            item.Write($"{fields[0]}\t{title}\t{year}\t{fields[2].Replace('|', ' ')}\n");
        });
    }

    /// <summary>ml-1m's <c>users.dat</c> (<c>id::gender::age::occupation::zip</c>) as <c>.user</c>, in ml-100k's column order.</summary>
    public static int ConvertUsersDat(TextReader users, TextWriter user, string sourceName)
    {
        user.Write(UserHeader);
        user.Write('\n');
        return ConvertRows(users, sourceName, "::", 5, "(id, gender, age, occupation, zip code)",
            (fields, _) => user.Write($"{fields[0]}\t{fields[2]}\t{fields[1]}\t{fields[3]}\t{fields[4]}\n"));
    }

    /// <summary>"Title (1995)" → ("Title", "1995"); RecBole's placeholder for both when there is no such group.</summary>
    private static (string Title, string Year) TitleAndYear(string title)
    {
        var open = title.LastIndexOf(" (", StringComparison.Ordinal);
        return open > 0 && title.EndsWith(')')
            ? (title[..open].TrimEnd(), title[(open + 2)..^1].Trim())
            : (RecBoleUnknown, RecBoleUnknown);
    }

    /// <summary>Checks each row's field count, id and lack of tabs, then hands its trimmed fields to <paramref name="writeRow"/>.</summary>
    private static int ConvertRows(TextReader source, string sourceName, string separator, int fieldCount, string fieldNames, Action<string[], long> writeRow)
    {
        using var lines = new LineReader(source);
        var rows = 0;
        while (lines.TryReadLine(out var line))
        {
            if (line.IsWhiteSpace()) continue;
            var fields = line.ToString().Split(separator);
            if (fields.Length != fieldCount)
                throw new SeqRecException($"{sourceName}:{lines.LineNumber}: {fields.Length} fields, expected {fieldCount} {fieldNames} separated by '{separator}'");
            for (var i = 0; i < fields.Length; i++) fields[i] = fields[i].Trim();
            if (!IsId(fields[0]))
                throw new SeqRecException($"{sourceName}:{lines.LineNumber}: column 1: '{fields[0]}' is not an integer id");
            if (fields.Any(f => f.Contains('\t')))
                throw new SeqRecException($"{sourceName}:{lines.LineNumber}: a field holds a tab, which atomic files use as their separator");
            writeRow(fields, lines.LineNumber);
            rows++;
        }
        if (rows == 0) throw new SeqRecException($"{sourceName}: no rows");
        return rows;
    }

    private static bool IsId(ReadOnlySpan<char> cell) => cell.Length > 0 && long.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
