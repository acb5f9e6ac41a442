using System.Reflection;
using SeqRec.Configuration;

namespace SeqRec.Modeling;

/// <summary>A model as data, emitted by the generator for each <c>[Model]</c> class into its assembly's catalog.</summary>
/// <param name="Id">The id users type, e.g. <c>lightsans</c>.</param>
/// <param name="Config">The model's configuration section (its parameter table and binder).</param>
/// <param name="Create">Builds the model from its bound section and the data's <see cref="ModelContext"/>.</param>
public sealed record ModelInfo(
    string Id,
    string DisplayName,
    string Paper,
    Type ModelType,
    ConfigSectionInfo Config,
    Func<IConfigSection, ModelContext, SequentialRecommender> Create)
{
    /// <summary>Notes <c>seqrec describe</c> prints under the parameters (<c>[Model(Remarks = ...)]</c>).</summary>
    public string Remarks { get; init; } = "";

    /// <summary>The assembly that defines the model.</summary>
    public Assembly Assembly => ModelType.Assembly;

    /// <summary>The defining assembly as <c>Name version</c>, e.g. <c>SeqRec.Models 1.0.0</c> (what checkpoints record).</summary>
    public string AssemblyLabel => Runs.CheckpointInfo.AssemblyLabelOf(ModelType);
}
