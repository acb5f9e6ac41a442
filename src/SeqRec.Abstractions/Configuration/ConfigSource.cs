namespace SeqRec.Configuration;

/// <summary>Where a configuration value came from: a file and line, <c>--set</c>, code, or the defaults.</summary>
public readonly record struct ConfigSource(string Origin, int Line = 0)
{
    public static ConfigSource Defaults { get; } = new("defaults");
    public static ConfigSource CommandLine { get; } = new("--set");
    public static ConfigSource Code { get; } = new("code");

    public override string ToString() => Line > 0 ? $"{Origin}:{Line}" : Origin;
}
