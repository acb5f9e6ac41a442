namespace SeqRec.Runs;

/// <summary>
/// What a checkpoint records besides the weights, so that <c>seqrec evaluate --checkpoint</c> can rebuild the model
/// and its data without the run directory.
/// </summary>
/// <param name="Model">Registered model name, e.g. <c>sasrec</c>.</param>
/// <param name="Dataset">Dataset name, e.g. <c>ml-100k</c>.</param>
/// <param name="ConfigToml">The fully resolved configuration of the run, as TOML text.</param>
/// <param name="ModelAssembly">The assembly that defines the model, as <c>Name version</c> (absent in older files), so that
/// a checkpoint of a plugin's model can say which plugin it needs.</param>
public sealed record CheckpointInfo(string Model, string Dataset, string ConfigToml, string? ModelAssembly = null)
{
    /// <summary><c>Name version</c> of the assembly that defines <paramref name="modelType"/>.</summary>
    public static string AssemblyLabelOf(Type modelType) => $"{modelType.Assembly.GetName().Name} {modelType.Assembly.GetName().Version}";
}

/// <summary>The header of a saved checkpoint: its <see cref="CheckpointInfo"/> and the epoch and metrics it was saved at.</summary>
public sealed record CheckpointHeader(
    CheckpointInfo Info,
    int Epoch,
    IReadOnlyDictionary<string, double> ValidMetrics,
    DateTimeOffset SavedAt);
