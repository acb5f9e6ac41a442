using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// Several linear layers that read the same input, computed as one GEMM over their stacked weights and split after.
/// The input is read (and packed by the BLAS) once instead of once per layer, and in backward its gradient is one GEMM
/// instead of one per layer plus the additions that sum them. The layers keep their own parameters (and state-dict
/// names); the stacked weight is rebuilt at each call, which costs nothing next to the GEMM.
/// </summary>
internal static class FusedLinear
{
    /// <summary>
    /// <paramref name="input"/> [..., d_in] → each layer's output [..., d_out] as <paramref name="piecesPerLayer"/>
    /// views of equal width (e.g. one per attention head), layer by layer. All views come from one split, so backward
    /// assembles their gradients in one pass.
    /// </summary>
    public static Tensor[] Apply(Tensor input, int piecesPerLayer, params Linear[] layers)
    {
        if (layers.Any(l => l.weight!.shape[0] != layers[0].weight!.shape[0]))
            throw new ArgumentException("fused layers must have the same output size", nameof(layers));
        using var weight = cat(layers.Select(l => l.weight!).ToArray(), 0);
        using var bias = cat(layers.Select(l => l.bias!).ToArray(), 0);
        using var output = nn.functional.linear(input, weight, bias);
        var pieceWidth = layers[0].weight!.shape[0] / piecesPerLayer;
        return output.split(pieceWidth, -1);
    }
}
