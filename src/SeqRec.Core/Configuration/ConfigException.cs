namespace SeqRec.Configuration;

/// <summary>The configuration has errors; the message lists all of them, one per line, sorted by key path.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : SeqRecException(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
