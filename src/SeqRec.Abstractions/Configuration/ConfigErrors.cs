namespace SeqRec.Configuration;

public enum ConfigSeverity { Error, Warning }

/// <summary>One configuration problem, e.g. <c>my.toml:3: lightsans.k_interests: 0 is below the minimum 1</c>.</summary>
public sealed record ConfigError(ConfigSource? Source, string Path, string Message, ConfigSeverity Severity)
{
    public override string ToString()
    {
        var where = Source is { } s ? $"{s}: " : "";
        var path = Path.Length > 0 ? $"{Path}: " : "";
        var kind = Severity == ConfigSeverity.Warning ? "warning: " : "";
        return $"{kind}{where}{path}{Message}";
    }
}

/// <summary>
/// Collects every configuration error instead of stopping at the first. A scope (<see cref="Scope"/>) prefixes key
/// paths with a section name and finds each key's source in the table being bound, so generated binders and
/// hand-written <c>OnValidate</c> rules only name the key.
/// </summary>
public sealed class ConfigErrors
{
    private readonly List<ConfigError> _all;
    private readonly string _prefix;
    private readonly ConfigTable? _table;
    private readonly Dictionary<string, string> _keysAsWritten = new(StringComparer.Ordinal);

    public ConfigErrors() : this([], "", null) { }

    private ConfigErrors(List<ConfigError> all, string prefix, ConfigTable? table)
    {
        _all = all;
        _prefix = prefix;
        _table = table;
    }

    /// <summary>A view whose keys are relative to <paramref name="name"/>, with sources looked up in <paramref name="table"/>.</summary>
    public ConfigErrors Scope(string name, ConfigTable? table) => new(_all, PathOf(name), table);

    /// <summary>Records that <paramref name="key"/> was given under another spelling (an alias), for messages.</summary>
    public void UseSpelling(string key, string writtenAs) => _keysAsWritten[key] = writtenAs;

    public void Error(string key, string message) => Add(key, message, ConfigSeverity.Error, null);

    public void Error(string key, string message, ConfigSource source) => Add(key, message, ConfigSeverity.Error, source);

    public void Warning(string key, string message) => Add(key, message, ConfigSeverity.Warning, null);

    public void Warning(string key, string message, ConfigSource source) => Add(key, message, ConfigSeverity.Warning, source);

    /// <summary>An error not tied to a key (e.g. a malformed file).</summary>
    public void General(ConfigSource source, string message) => _all.Add(new ConfigError(source, _prefix, message, ConfigSeverity.Error));

    public bool HasErrors => _all.Any(e => e.Severity == ConfigSeverity.Error);

    public IReadOnlyList<ConfigError> Errors => Sorted(ConfigSeverity.Error);

    public IReadOnlyList<ConfigError> Warnings => Sorted(ConfigSeverity.Warning);

    public override string ToString() => string.Join(Environment.NewLine, Errors.Concat(Warnings));

    /// <summary>
    /// Errors by key path; warnings in the order a reader meets them: layer by layer as the layers were read, by line
    /// within a file, then by key path.
    /// </summary>
    private IReadOnlyList<ConfigError> Sorted(ConfigSeverity severity)
    {
        var selected = _all.Where(e => e.Severity == severity).ToList();
        if (severity == ConfigSeverity.Error) return [.. selected.OrderBy(e => e.Path, StringComparer.Ordinal)];
        var origins = selected.Select(e => e.Source?.Origin).Distinct().ToList();
        return [.. selected.OrderBy(e => origins.IndexOf(e.Source?.Origin)).ThenBy(e => e.Source?.Line ?? 0).ThenBy(e => e.Path, StringComparer.Ordinal)];
    }

    private void Add(string key, string message, ConfigSeverity severity, ConfigSource? source)
    {
        var written = _keysAsWritten.GetValueOrDefault(key, key);
        source ??= _table?[written]?.Source;
        _all.Add(new ConfigError(source, PathOf(written), message, severity));
    }

    private string PathOf(string key) => _prefix.Length == 0 ? key : key.Length == 0 ? _prefix : $"{_prefix}.{key}";
}
