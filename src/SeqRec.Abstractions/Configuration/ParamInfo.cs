namespace SeqRec.Configuration;

/// <summary>One row of a section's generated parameter table (what <c>seqrec describe</c> prints).</summary>
public sealed record ParamInfo(
    string Key,
    string? Alias,
    string TypeName,
    object? Default,
    double? Min,
    double? Max,
    IReadOnlyList<string> AllowedValues,
    string Help);

/// <summary>A configuration section as data: its name, parameters, and a binder that does not need the type.</summary>
public sealed record ConfigSectionInfo(
    string Name,
    Type Type,
    IReadOnlyList<ParamInfo> Parameters,
    Func<ConfigTable?, ConfigErrors, IConfigSection> Bind);

/// <summary>Implemented by the generated half of every <c>[ConfigSection]</c> record.</summary>
public interface IConfigSection
{
    /// <summary>Checks bounds, allowed values and cross-field rules; adds every problem to <paramref name="errors"/>.</summary>
    void Validate(ConfigErrors errors);

    /// <summary>The current values by key, in declaration order (for printing the resolved configuration).</summary>
    IReadOnlyList<KeyValuePair<string, object?>> GetValues();
}

/// <summary>The static half of a generated section, for generic code (<c>config.Get&lt;LightSansConfig&gt;()</c>).</summary>
public interface IConfigSection<TSelf> : IConfigSection where TSelf : IConfigSection<TSelf>
{
    static abstract ConfigSectionInfo Info { get; }

    static abstract TSelf Bind(ConfigTable? table, ConfigErrors errors);
}
