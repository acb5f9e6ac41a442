using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>Splitting the hidden axis into attention heads and back (RecBole's <c>transpose_for_scores</c>).</summary>
internal static class Heads
{
    /// <summary>[..., N, d] → [..., h, N, d/h] as a view.</summary>
    public static Tensor Split(Tensor x, int heads)
    {
        var n = x.shape[^2];
        var d = x.shape[^1];
        long[] shape = [.. x.shape[..^2], n, heads, d / heads];
        return x.view(shape).transpose(-3, -2);
    }

    /// <summary>[B, h, L, dh] → [B, L, h·dh].</summary>
    public static Tensor Merge(Tensor x) => x.transpose(1, 2).reshape(x.shape[0], x.shape[2], x.shape[1] * x.shape[3]);
}
