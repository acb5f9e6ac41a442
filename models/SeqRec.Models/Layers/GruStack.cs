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
        return Layers(gru, input, chunkBytes, activeRows: null);
    }

    /// <summary>
    /// The output at each sequence's last real position, <c>output[b, lengths[b] − 1]</c>, [B, H] (RecBole's
    /// <c>gather_indexes</c> after the GRU). A right-padded row's later steps cannot change it, so the fused path
    /// computes at each step only the rows still running (<c>RunUpToLengths</c>). The plain path runs every
    /// step of every row.
    /// </summary>
    /// <param name="lengths">Real lengths [B] (int64), each in [1, L].</param>
    public static Tensor LastOutputs(GRU gru, Tensor input, Tensor lengths, KernelChoice kernels) =>
        LastOutputs(gru, input, lengths, kernels, GruLayerFunction.ChunkBytes);

    internal static Tensor LastOutputs(GRU gru, Tensor input, Tensor lengths, KernelChoice kernels, long chunkBytes)
    {
        using var scope = NewDisposeScope();
        return AtLengths(RunUpToLengths(gru, input, lengths, kernels, chunkBytes), lengths).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every step's output up to each row's length, [B, L, H], for a model that reads nothing after a row's length
    /// (its value and gradient there must not matter). The fused path sorts the rows by length, longest first, and
    /// computes at each step only the rows still running, leaving zeros after each row's length: on ml-100k's
    /// training sequences at L = 50, 22% of the positions are padding. The plain path runs every step of every row.
    /// </summary>
    /// <param name="lengths">Real lengths [B] (int64), each in [1, L].</param>
    public static Tensor RunUpToLengths(GRU gru, Tensor input, Tensor lengths, KernelChoice kernels) =>
        RunUpToLengths(gru, input, lengths, kernels, GruLayerFunction.ChunkBytes);

    internal static Tensor RunUpToLengths(GRU gru, Tensor input, Tensor lengths, KernelChoice kernels, long chunkBytes)
    {
        using var scope = NewDisposeScope();
        var width = input.shape[1];
        var lengthValues = lengths.to(ScalarType.Int64).cpu().data<long>().ToArray();
        if (kernels == KernelChoice.Plain || !TensorMemory.FusedPathRuns(input) || lengthValues.Any(l => l < 1 || l > width))
            return Run(gru, input, kernels, chunkBytes).MoveToOuterDisposeScope();

        var order = lengths.argsort(descending: true);
        Array.Sort(lengthValues, (a, b) => b.CompareTo(a));
        var activeRows = new long[width];
        for (long t = 0, running = lengthValues.Length; t < width; t++)
        {
            while (running > 0 && lengthValues[running - 1] <= t) running--;
            activeRows[t] = running;
        }
        var sorted = Layers(gru, input.index_select(0, order), chunkBytes, activeRows);
        return sorted.index_select(0, order.argsort()).MoveToOuterDisposeScope();
    }

    private static Tensor Layers(GRU gru, Tensor input, long chunkBytes, long[]? activeRows)
    {
        var parameters = gru.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var layer = input;
        for (var k = 0; parameters.ContainsKey($"weight_ih_l{k}"); k++)
        {
            var next = GruLayerFunction.Apply(layer, parameters[$"weight_ih_l{k}"], parameters[$"weight_hh_l{k}"],
                parameters.GetValueOrDefault($"bias_ih_l{k}"), parameters.GetValueOrDefault($"bias_hh_l{k}"), chunkBytes, activeRows);
            if (!ReferenceEquals(layer, input)) layer.Dispose();
            layer = next;
        }
        return layer;
    }

    private static Tensor AtLengths(Tensor output, Tensor lengths)
    {
        using var index = (lengths - 1).view(-1, 1, 1).expand(-1, 1, output.shape[2]);
        return output.gather(1, index).squeeze(1);
    }
}
