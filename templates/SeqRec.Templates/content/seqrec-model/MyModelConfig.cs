using SeqRec;
using SeqRec.Configuration;
using SeqRec.Modeling;

namespace MyModel;

/// <summary>
/// The <c>[mymodel]</c> section of a SeqRec configuration. Each property is a key (its snake_case name): set it in a
/// TOML file, with <c>--set mymodel.hidden_size=128</c>, or in RecBole YAML as a flat key. The source generator
/// writes the parameter table (<c>MyModelConfig.Info</c>, what <c>seqrec describe mymodel</c> prints), the binder and
/// the bounds checks.
/// </summary>
[ConfigSection("mymodel")]
public sealed partial record MyModelConfig
{
    [Param(Min = 1, Max = 65536, Help = "Embedding and hidden size.")]
    public int HiddenSize { get; init; } = 64;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the item and position embeddings.")]
    public double DropoutProb { get; init; } = 0.2;

    [Param(Min = 0.0, Max = 10.0, Help = "Standard deviation of the normal weight initialisation.")]
    public double InitializerRange { get; init; } = 0.02;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;

    // Rules that involve several keys go here; each error names its key.
    partial void OnValidate(ConfigErrors errors)
    {
    }
}
