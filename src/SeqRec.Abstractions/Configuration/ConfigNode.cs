using System.Globalization;

namespace SeqRec.Configuration;

/// <summary>
/// A format-neutral configuration tree. TOML files, the in-code dictionary and <c>--set</c> overrides are all turned
/// into these nodes, merged in order, and then bound by the generated binders. Every node remembers its source.
/// </summary>
public abstract class ConfigNode(ConfigSource source)
{
    public ConfigSource Source { get; } = source;

    /// <summary>A short description of the node's kind, for error messages ("an integer", "a table", ...).</summary>
    public abstract string Describe();
}

/// <summary>A scalar: <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="string"/> or a date.</summary>
public sealed class ConfigScalar(object value, ConfigSource source) : ConfigNode(source)
{
    public object Value { get; } = value;

    public override string Describe() => Value switch
    {
        long l => $"the integer {l.ToString(CultureInfo.InvariantCulture)}",
        double d => $"the float {FormatDouble(d)}",
        bool b => b ? "true" : "false",
        string s => $"the string \"{s}\"",
        _ => Convert.ToString(Value, CultureInfo.InvariantCulture) ?? "?",
    };

    internal static string FormatDouble(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') || text.Contains('N') || text.Contains('I') ? text : text + ".0";
    }
}

public sealed class ConfigArray(IReadOnlyList<ConfigNode> items, ConfigSource source) : ConfigNode(source)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;

    public override string Describe() => "an array";
}

/// <summary>A table; keys keep their insertion order.</summary>
public sealed class ConfigTable(ConfigSource source) : ConfigNode(source)
{
    private readonly Dictionary<string, ConfigNode> _items = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public IEnumerable<KeyValuePair<string, ConfigNode>> Items => _order.Select(k => new KeyValuePair<string, ConfigNode>(k, _items[k]));

    public IEnumerable<string> Keys => _order;

    public int Count => _order.Count;

    public ConfigNode? this[string key] => _items.GetValueOrDefault(key);

    public bool TryGet(string key, out ConfigNode node) => _items.TryGetValue(key, out node!);

    public void Set(string key, ConfigNode node)
    {
        if (!_items.ContainsKey(key)) _order.Add(key);
        _items[key] = node;
    }

    public bool Remove(string key) => _items.Remove(key) && _order.Remove(key);

    public override string Describe() => "a table";

    /// <summary>Merges <paramref name="overlay"/> into this table: scalars and arrays replace, tables merge key by key.</summary>
    public void MergeFrom(ConfigTable overlay)
    {
        foreach (var (key, node) in overlay.Items)
        {
            if (node is ConfigTable incoming && this[key] is ConfigTable existing)
                existing.MergeFrom(incoming);
            else
                Set(key, node is ConfigTable table ? table.DeepCopy() : node);
        }
    }

    public ConfigTable DeepCopy()
    {
        var copy = new ConfigTable(Source);
        foreach (var (key, node) in Items) copy.Set(key, node is ConfigTable t ? t.DeepCopy() : node);
        return copy;
    }

    /// <summary>Returns the sub-table at <paramref name="key"/>, creating it if absent.</summary>
    public ConfigTable GetOrAddTable(string key, ConfigSource source)
    {
        if (this[key] is ConfigTable t) return t;
        var created = new ConfigTable(source);
        Set(key, created);
        return created;
    }
}
