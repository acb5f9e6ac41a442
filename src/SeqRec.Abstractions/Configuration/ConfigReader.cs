using System.Globalization;

namespace SeqRec.Configuration;

/// <summary>
/// Typed reads from config nodes, used by the generated binders. Each read either succeeds or adds one clear error
/// (naming the key, what was expected and what was found) and leaves the default in place.
/// </summary>
public static class ConfigReader
{
    /// <summary>Finds <paramref name="key"/> or its alias in <paramref name="table"/>; both at once is an error.</summary>
    public static ConfigNode? Find(ConfigTable table, string key, string? alias, ConfigErrors errors)
    {
        var primary = table[key];
        var second = alias is null ? null : table[alias];
        if (primary is not null && second is not null)
        {
            errors.Error(alias!, $"'{alias}' is another name for '{key}'; set only one of them", second.Source);
            return primary;
        }
        if (second is not null) errors.UseSpelling(key, alias!);
        return primary ?? second;
    }

    /// <summary>Reports every key of <paramref name="table"/> that is not in <paramref name="known"/>, with a suggestion.</summary>
    public static void CheckUnknownKeys(ConfigTable table, ConfigErrors errors, IReadOnlyList<string> known)
    {
        foreach (var (key, node) in table.Items)
        {
            if (known.Contains(key, StringComparer.Ordinal)) continue;
            errors.Error(key, UnknownMessage("key", key, known), node.Source);
        }
    }

    public static string UnknownMessage(string what, string name, IEnumerable<string> known)
    {
        var suggestion = Suggestions.Nearest(name, known);
        return suggestion is null ? $"unknown {what}" : $"unknown {what}; did you mean '{suggestion}'?";
    }

    public static bool TryInt32(ConfigNode node, ConfigErrors errors, string key, out int value)
    {
        value = 0;
        if (!TryInt64(node, errors, key, out var wide)) return false;
        if (wide is < int.MinValue or > int.MaxValue)
        {
            errors.Error(key, $"{wide.ToString(CultureInfo.InvariantCulture)} does not fit a 32-bit integer", node.Source);
            return false;
        }
        value = (int)wide;
        return true;
    }

    public static bool TryInt64(ConfigNode node, ConfigErrors errors, string key, out long value)
    {
        value = 0;
        switch ((node as ConfigScalar)?.Value)
        {
            case long l:
                value = l;
                return true;
            case string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                value = parsed;
                return true;
            case string s when IsIntegerText(s):
                errors.Error(key, $"{s} is out of range for a 64-bit integer", node.Source);
                return false;
            default:
                errors.Error(key, $"expected an integer, got {node.Describe()}", node.Source);
                return false;
        }
    }

    /// <summary>A finite number: NaN, infinities and literals that overflow (<c>1e400</c>) are refused, since NaN passes every bounds check.</summary>
    public static bool TryDouble(ConfigNode node, ConfigErrors errors, string key, out double value)
    {
        value = 0;
        switch ((node as ConfigScalar)?.Value)
        {
            case double d:
                value = d;
                break;
            case long l:
                value = l;
                return true;
            case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                value = parsed;
                break;
            default:
                errors.Error(key, $"expected a number, got {node.Describe()}", node.Source);
                return false;
        }
        if (double.IsFinite(value)) return true;
        var got = double.IsNaN(value) ? "NaN" : $"{(value > 0 ? "" : "-")}infinity (a literal beyond ±1.8e308 overflows to it)";
        errors.Error(key, $"expected a finite number, got {got}", node.Source);
        return false;
    }

    public static bool TrySingle(ConfigNode node, ConfigErrors errors, string key, out float value)
    {
        var ok = TryDouble(node, errors, key, out var d);
        value = (float)d;
        if (!ok || float.IsFinite(value)) return ok;
        errors.Error(key, $"{Format(d)} is out of range for a 32-bit float (at most {float.MaxValue.ToString("R", CultureInfo.InvariantCulture)} in magnitude)", node.Source);
        return false;
    }

    public static bool TryBoolean(ConfigNode node, ConfigErrors errors, string key, out bool value)
    {
        value = false;
        switch ((node as ConfigScalar)?.Value)
        {
            case bool b:
                value = b;
                return true;
            case string s when bool.TryParse(s, out var parsed): // Python's True/False, as RecBole's command line writes them
                value = parsed;
                return true;
            default:
                errors.Error(key, $"expected true or false, got {node.Describe()}", node.Source);
                return false;
        }
    }

    public static bool TryString(ConfigNode node, ConfigErrors errors, string key, out string value)
    {
        value = "";
        switch ((node as ConfigScalar)?.Value)
        {
            case string s:
                value = s;
                return true;
            default:
                errors.Error(key, $"expected a string, got {node.Describe()}", node.Source);
                return false;
        }
    }

    /// <summary>Matches an enum by its config spelling, case-insensitively; on failure lists the allowed values.</summary>
    public static bool TryEnum<TEnum>(ConfigNode node, ConfigErrors errors, string key, IReadOnlyList<string> names, IReadOnlyList<TEnum> values, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if ((node as ConfigScalar)?.Value is string s)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (string.Equals(names[i], s, StringComparison.OrdinalIgnoreCase))
                {
                    value = values[i];
                    return true;
                }
            }
            errors.Error(key, $"'{s}' is not one of {string.Join(", ", names)}", node.Source);
            return false;
        }
        errors.Error(key, $"expected one of {string.Join(", ", names)}, got {node.Describe()}", node.Source);
        return false;
    }

    public static bool TryInt32Array(ConfigNode node, ConfigErrors errors, string key, out int[] value) =>
        TryArray(node, errors, key, TryInt32, out value);

    public static bool TryInt64Array(ConfigNode node, ConfigErrors errors, string key, out long[] value) =>
        TryArray(node, errors, key, TryInt64, out value);

    public static bool TryDoubleArray(ConfigNode node, ConfigErrors errors, string key, out double[] value) =>
        TryArray(node, errors, key, TryDouble, out value);

    public static bool TryStringArray(ConfigNode node, ConfigErrors errors, string key, out string[] value) =>
        TryArray(node, errors, key, TryString, out value);

    private delegate bool ItemReader<T>(ConfigNode node, ConfigErrors errors, string key, out T value);

    private static bool TryArray<T>(ConfigNode node, ConfigErrors errors, string key, ItemReader<T> read, out T[] value)
    {
        value = [];
        // A single scalar is accepted where a list is expected (topk = 10 means [10]).
        var items = node is ConfigArray array ? array.Items : node is ConfigScalar ? [node] : null;
        if (items is null)
        {
            errors.Error(key, $"expected an array, got {node.Describe()}", node.Source);
            return false;
        }
        var result = new T[items.Count];
        var ok = true;
        for (var i = 0; i < items.Count; i++)
            ok &= read(items[i], errors, $"{key}[{i}]", out result[i]);
        if (ok) value = result;
        return ok;
    }

    private static bool IsIntegerText(string s) => s.Length > 0 && s.TrimStart('-', '+').All(char.IsAsciiDigit);

    /// <summary>Formats a bound or value for messages with the invariant culture (1, 0.5, 1E-12).</summary>
    public static string Format(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);
}
