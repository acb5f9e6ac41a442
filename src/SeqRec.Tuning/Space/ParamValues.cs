using System.Globalization;

namespace SeqRec.Tuning.Space;

/// <summary>Equality and canonical text of tuned values (<see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="string"/>).</summary>
public static class ParamValues
{
    public static bool AreEqual(object a, object b) => (a, b) switch
    {
        (long x, long y) => x == y,
        (double x, double y) => x.Equals(y),
        (bool x, bool y) => x == y,
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Text that round-trips exactly and does not depend on the culture (used for hashes and CSV).</summary>
    public static string Canonical(object value) => value switch
    {
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => s,
        _ => throw new ArgumentException($"unsupported tuned value {value.GetType().Name}", nameof(value)),
    };
}
