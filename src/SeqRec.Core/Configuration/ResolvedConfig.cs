using SeqRec.Modeling;
namespace SeqRec.Configuration;

/// <summary>
/// The fully resolved, validated configuration of one run: the shared sections and the chosen model's section.
/// Produced by <see cref="ConfigResolver"/>; everything downstream (data, trainer, evaluator) reads only this.
/// </summary>
public sealed record ResolvedConfig(
    ModelInfo Model,
    IConfigSection ModelConfig,
    DataConfig Data,
    TrainerConfig Trainer,
    EvalConfig Eval,
    IReadOnlyList<ConfigError> Warnings)
{
    /// <summary>The model's section, typed: <c>config.ModelSection&lt;LightSansConfig&gt;()</c>.</summary>
    public T ModelSection<T>() where T : IConfigSection<T> => (T)ModelConfig;
}
