using SeqRec.Kernels;
using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// Runs a batch-first, unidirectional <see cref="GRU"/> without inter-layer dropout (GRU4Rec's, NARM's) over whole
/// sequences from a zero state and returns every step's output, [B, L, H]. The module keeps its parameters and
/// state-dict names (<c>weight_ih_l0</c>, ...); the fused path reads them layer by layer (<see cref="GruLayerFunction"/>),
/// the plain path is libtorch's own GRU, the definition the fused one is tested against.
/// </summary>
public static class GruStack
{
    public static Tensor Run(GRU gru, Tensor input, KernelChoice kernels) => Run(gru, input, kernels, GruLayerFunction.ChunkBytes);

    internal static Tensor Run(GRU gru, Tensor input, KernelChoice kernels, long chunkBytes)
    {
        if (kernels == KernelChoice.Plain || !TensorMemory.FusedPathRuns(input))
        {
            var (output, last) = gru.call(input);
            last.Dispose();
            return output;
        }

        var parameters = gru.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var layer = input;
        for (var k = 0; parameters.ContainsKey($"weight_ih_l{k}"); k++)
        {
            var next = GruLayerFunction.Apply(layer, parameters[$"weight_ih_l{k}"], parameters[$"weight_hh_l{k}"],
                parameters.GetValueOrDefault($"bias_ih_l{k}"), parameters.GetValueOrDefault($"bias_hh_l{k}"), chunkBytes);
            if (!ReferenceEquals(layer, input)) layer.Dispose();
            layer = next;
        }
        return layer;
    }
}
