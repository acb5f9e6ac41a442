using System.Collections;
using System.Globalization;

namespace SeqRec.Evaluation;

/// <summary>
/// Metric values keyed by lower-case names (<c>recall@10</c>), in the order they were computed: metrics in the
/// configured order, each at every K of topk, as RecBole reports them.
/// </summary>
public sealed class MetricValues : IReadOnlyDictionary<string, double>
{
    private readonly KeyValuePair<string, double>[] _entries;
    private readonly Dictionary<string, double> _byKey;

    public MetricValues(IEnumerable<KeyValuePair<string, double>> entries)
    {
        _entries = [.. entries];
        _byKey = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in _entries)
        {
            if (!_byKey.TryAdd(key, value)) throw new ArgumentException($"duplicate metric key '{key}'", nameof(entries));
        }
    }

    public static MetricValues Empty { get; } = new([]);

    public double this[string key] => _byKey.TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"metric '{key}' was not computed (computed: {string.Join(", ", Keys)})");

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public IEnumerable<double> Values => _entries.Select(e => e.Value);

    public int Count => _entries.Length;

    public bool ContainsKey(string key) => _byKey.ContainsKey(key);

    public bool TryGetValue(string key, out double value) => _byKey.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, double>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One line, e.g. <c>recall@10 0.0912  mrr@10 0.0291</c>, values to 4 decimals.</summary>
    public override string ToString() =>
        string.Join("  ", _entries.Select(e => $"{e.Key} {e.Value.ToString("F4", CultureInfo.InvariantCulture)}"));
}
