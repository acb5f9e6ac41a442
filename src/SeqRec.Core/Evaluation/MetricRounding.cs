using System.Numerics;

namespace SeqRec.Evaluation;

/// <summary>
/// Rounds reported metrics to 4 decimals exactly as RecBole does. RecBole calls Python's <c>round</c>, and which
/// rounding that is depends on the value's type:
/// <list type="bullet">
/// <item>on a NumPy float64 (most metrics), NumPy computes <c>rint(x * 10^4) / 10^4</c>: the scaled binary value is
///   rounded half to even, so 0.12345 becomes 0.1234 (0.12345 * 10^4 is exactly 1234.5);</item>
/// <item>on a plain Python float (ItemCoverage, a ratio of two Python ints), Python rounds the exact binary value
///   correctly, so 0.12345, whose binary value lies a little above 0.12345, becomes 0.1235.</item>
/// </list>
/// </summary>
public static class MetricRounding
{
    public const int DecimalPlaces = 4;

    private const double Scale = 10000.0;

    /// <summary>NumPy's rounding of a float64 to 4 decimals.</summary>
    public static double Round(double value) =>
        double.IsFinite(value) ? Math.Round(value * Scale, MidpointRounding.ToEven) / Scale : value;

    /// <summary>Python's <c>round(x, 4)</c> of a plain float: the exact binary value rounded, half to even.</summary>
    public static double RoundPythonFloat(double value)
    {
        if (!double.IsFinite(value) || value == 0) return value;
        var negative = value < 0;
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent = 1; else mantissa |= 1L << 52;
        var shift = exponent - 1075; // value = mantissa * 2^shift
        var scaled = new BigInteger(mantissa) * 10000;
        BigInteger rounded;
        if (shift >= 0) rounded = scaled << shift;
        else
        {
            var denominator = BigInteger.One << -shift;
            rounded = BigInteger.DivRem(scaled, denominator, out var remainder);
            var twice = remainder * 2;
            if (twice > denominator || (twice == denominator && !rounded.IsEven)) rounded += 1;
        }
        var result = (double)rounded / Scale;
        return negative ? -result : result;
    }
}
