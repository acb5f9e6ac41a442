using System.Globalization;

namespace SeqRec.Data.Filtering;

/// <summary>One interval such as <c>[3,inf)</c> or <c>(0,10]</c>.</summary>
public readonly record struct Interval(double Lower, bool LowerInclusive, double Upper, bool UpperInclusive)
{
    public bool Contains(double value) =>
        (LowerInclusive ? value >= Lower : value > Lower) && (UpperInclusive ? value <= Upper : value < Upper);

    public override string ToString() =>
        $"{(LowerInclusive ? '[' : '(')}{Format(Lower)},{Format(Upper)}{(UpperInclusive ? ']' : ')')}";

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A union of intervals in RecBole's syntax: <c>[a,b)</c> pieces joined by <c>;</c>, brackets choosing closed or open
/// ends, <c>inf</c> and <c>-inf</c> for unbounded ends, e.g. <c>"[5,inf)"</c> or <c>"(0,3];[10,20)"</c>. RecBole warns
/// and ignores a malformed piece; here it is an error.
/// </summary>
public sealed class IntervalSet
{
    public const string SyntaxHelp = "an interval such as [5,inf) or (0,10] (several joined by ';')";

    private IntervalSet(Interval[] intervals) => Intervals = intervals;

    public IReadOnlyList<Interval> Intervals { get; }

    public bool Contains(double value)
    {
        foreach (var interval in Intervals)
        {
            if (interval.Contains(value)) return true;
        }
        return false;
    }

    public override string ToString() => string.Join(";", Intervals);

    public static IntervalSet Parse(string text) =>
        TryParse(text, out var set, out var error) ? set : throw new FormatException(error);

    public static bool TryParse(string text, out IntervalSet set, out string error)
    {
        set = new IntervalSet([]);
        var intervals = new List<Interval>();
        foreach (var rawPiece in text.Split(';'))
        {
            var piece = rawPiece.Trim();
            if (!TryParsePiece(piece, out var interval, out error))
                return false;
            intervals.Add(interval);
        }
        set = new IntervalSet([.. intervals]);
        error = "";
        return true;
    }

    private static bool TryParsePiece(string piece, out Interval interval, out string error)
    {
        interval = default;
        error = $"'{piece}' is not {SyntaxHelp}";
        if (piece.Length < 5 || piece[0] is not ('[' or '(') || piece[^1] is not (']' or ')')) return false;
        var ends = piece[1..^1].Split(',');
        if (ends.Length != 2 || !TryParseEnd(ends[0], out var lower) || !TryParseEnd(ends[1], out var upper)) return false;
        if (lower > upper)
        {
            error = $"'{piece}': the lower end {ends[0].Trim()} is above the upper end {ends[1].Trim()}";
            return false;
        }
        interval = new Interval(lower, piece[0] == '[', upper, piece[^1] == ']');
        return true;
    }

    private static bool TryParseEnd(string text, out double value)
    {
        var trimmed = text.Trim();
        switch (trimmed.ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity" or "+infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
        }
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
    }
}
