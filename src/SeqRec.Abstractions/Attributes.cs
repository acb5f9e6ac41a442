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
/// Registers a model in its assembly's generated model catalog (see <see cref="ModelCatalogAttribute"/>). The class
/// must derive from <c>SeqRec.Modeling.SequentialRecommender</c> and have a public constructor
/// <c>(TConfig config, SeqRec.Modeling.ModelContext context)</c> whose first parameter is a
/// <see cref="ConfigSectionAttribute"/> record. The generator checks all of this at compile time.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModelAttribute(string id) : Attribute
{
    /// <summary>The id users type: <c>seqrec run --model lightsans</c>.</summary>
    public string Id { get; } = id;
    public string DisplayName { get; set; } = "";
    /// <summary>The paper that introduced the model.</summary>
    public string Paper { get; set; } = "";
    /// <summary>
    /// What a user should know beyond the parameters, printed by <c>seqrec describe</c>: for a port, the reference
    /// implementation's behaviour that is reproduced on purpose although it looks unintended.
    /// </summary>
    public string Remarks { get; set; } = "";
}

/// <summary>
/// Marks the <c>static partial class</c> the generator fills with the assembly's models, as
/// <c>public static IReadOnlyList&lt;SeqRec.Modeling.ModelInfo&gt; All</c>:
/// <code>[ModelCatalog] public static partial class AcmeModels;</code>
/// At most one per assembly. Without one, the generator emits an internal catalog; either way the assembly is marked
/// with <see cref="AssemblyModelCatalogAttribute"/>, which is how hosts (<c>seqrec --plugin</c>) find it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModelCatalogAttribute : Attribute;

/// <summary>Emitted by the generator: names the type whose static <c>All</c> property lists the assembly's models.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class AssemblyModelCatalogAttribute(Type catalogType) : Attribute
{
    public Type CatalogType { get; } = catalogType;
}
