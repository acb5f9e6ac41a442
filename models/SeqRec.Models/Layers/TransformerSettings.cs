using SeqRec.Modeling;

namespace SeqRec.Models.Layers;

/// <summary>
/// What every transformer block of the zoo is configured by (RecBole's <c>TransformerEncoder</c> arguments), passed to
/// the encoders, layers, attention and feed-forward blocks as one value. Model configs build it
/// (<c>config.Transformer</c>).
/// </summary>
public sealed record TransformerSettings(
    int NumLayers,
    int NHeads,
    int HiddenSize,
    int InnerSize,
    double HiddenDropoutProb,
    double AttnDropoutProb,
    Activation HiddenAct,
    double LayerNormEps);
