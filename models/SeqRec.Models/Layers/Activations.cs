using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>The feed-forward activations RecBole offers under <c>hidden_act</c>.</summary>
public static class Activations
{
    /// <summary>Applies <paramref name="activation"/>; gelu is the exact erf form, swish is x·sigmoid(x).</summary>
    public static Tensor Apply(Activation activation, Tensor x) => activation switch
    {
        Activation.Gelu => nn.functional.gelu(x),
        Activation.Relu => nn.functional.relu(x),
        Activation.Swish => nn.functional.silu(x),
        Activation.Tanh => x.tanh(),
        Activation.Sigmoid => x.sigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown hidden_act"),
    };
}
