namespace SeqRec;

/// <summary>
/// Marks a partial record as a configuration section. The source generator emits its parameter table, a binder
/// from a config tree (with unknown-key detection and path-carrying errors) and its validation.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ConfigSectionAttribute(string name) : Attribute
{
    /// <summary>The TOML table name, e.g. <c>lightsans</c>.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// A hyper-parameter of a <see cref="ConfigSectionAttribute"/> record. Its key is the snake_case of the property
/// name. Bounds apply to numeric parameters only; <see cref="double.NaN"/> means "no bound".
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ParamAttribute : Attribute
{
    public double Min { get; set; } = double.NaN;
    public double Max { get; set; } = double.NaN;
    public string Help { get; set; } = "";
    /// <summary>A second accepted key, e.g. RecBole's <c>n_layers</c> for <c>num_layers</c>.</summary>
    public string? Alias { get; set; }
}

/// <summary>
/// Registers a model in the generated registry (<c>SeqRec.Models.SeqRecModels.All</c>). The class must derive from a
/// generic base whose type argument is its <see cref="ConfigSectionAttribute"/> record, and have a public
/// constructor taking that record first (optionally followed by one context argument).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModelAttribute(string id) : Attribute
{
    /// <summary>The id users type: <c>seqrec run --model lightsans</c>.</summary>
    public string Id { get; } = id;
    public string DisplayName { get; set; } = "";
    /// <summary>The paper that introduced the model.</summary>
    public string Paper { get; set; } = "";
}
