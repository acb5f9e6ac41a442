namespace SeqRec.Data.Filtering;

/// <summary>
/// One entry of <c>val_interval</c>: keep rows whose <see cref="Field"/> lies in <see cref="Intervals"/>. Written
/// <c>"field:intervals"</c>, e.g. <c>"rating:[3,inf)"</c> (RecBole's <c>val_interval: {rating: "[3,inf)"}</c>).
/// </summary>
public sealed record ValueIntervalFilter(string Field, IntervalSet Intervals)
{
    public const string SyntaxHelp = "field:intervals, e.g. \"rating:[3,inf)\"";

    public static bool TryParse(string text, out ValueIntervalFilter filter, out string error)
    {
        filter = new ValueIntervalFilter("", IntervalSet.Parse("(-inf,inf)"));
        var colon = text.IndexOf(':');
        if (colon <= 0 || text[..colon].Trim().Length == 0)
        {
            error = $"'{text}' is not {SyntaxHelp}";
            return false;
        }
        if (!IntervalSet.TryParse(text[(colon + 1)..], out var intervals, out error))
        {
            error = $"'{text}': {error}";
            return false;
        }
        filter = new ValueIntervalFilter(text[..colon].Trim(), intervals);
        return true;
    }

    public static ValueIntervalFilter Parse(string text) =>
        TryParse(text, out var filter, out var error) ? filter : throw new FormatException(error);
}
