namespace SeqRec.Evaluation;

/// <summary>
/// Rounds reported metrics to 4 decimals exactly as RecBole does. RecBole calls Python's <c>round</c> on a NumPy
/// float64, which NumPy implements as <c>rint(x * 10^4) / 10^4</c>: the scaled binary value is rounded half to even.
/// That differs from Python's own float rounding: 0.12345 becomes 0.1234 (0.12345 * 10^4 is exactly 1234.5), where
/// Python's <c>round(0.12345, 4)</c> on a plain float gives 0.1235.
/// </summary>
public static class MetricRounding
{
    public const int DecimalPlaces = 4;

    private const double Scale = 10000.0;

    public static double Round(double value) =>
        double.IsFinite(value) ? Math.Round(value * Scale, MidpointRounding.ToEven) / Scale : value;
}
