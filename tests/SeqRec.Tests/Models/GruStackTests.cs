using SeqRec.Kernels;
using SeqRec.Modeling;
using SeqRec.Models.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>The fused GRU against libtorch's own (the plain path): outputs and every gradient, over one or several chunks of steps.</summary>
[Collection(TorchGlobalRandomCollection.Name)]
public class GruStackTests
{
    private const int Batch = 5, Length = 7, InputSize = 6, Hidden = 12;

    [Theory]
    [InlineData(false, 1, GruLayerFunction.ChunkBytes)]                 // GRU4Rec's and NARM's: no biases, one chunk
    [InlineData(true, 1, GruLayerFunction.ChunkBytes)]                  // with biases (RepeatNet's)
    [InlineData(false, 2, 3L * Batch * 3 * Hidden * sizeof(float))]     // two layers, chunks of three steps, the last partial
    [InlineData(true, 2, 1)]                                            // one step per chunk
    public void Fused_layers_give_libtorchs_outputs_and_gradients(bool bias, int layers, long chunkBytes)
    {
        manual_seed(5);
        using var gru = nn.GRU(InputSize, Hidden, layers, bias: bias, batchFirst: true);
        var input = randn(Batch, Length, InputSize).requires_grad_();
        var upstream = randn(Batch, Length, Hidden);

        var (plain, plainGrads) = Run(gru, input, upstream, x => GruStack.Run(gru, x, KernelChoice.Plain));
        var (fused, fusedGrads) = Run(gru, input, upstream, x => GruStack.Run(gru, x, KernelChoice.Fused, chunkBytes));

        Assert.True(fused.allclose(plain, rtol: 1e-5, atol: 1e-6), $"outputs differ by {(fused - plain).abs().max().item<float>()}");
        Assert.Equal(plainGrads.Keys.Order(), fusedGrads.Keys.Order());
        foreach (var (name, expected) in plainGrads)
        {
            Assert.True(expected.abs().sum().item<float>() > 0, $"{name}: zero gradient");
            Assert.True(fusedGrads[name].allclose(expected, rtol: 1e-4, atol: 1e-5), $"{name}: gradients differ by {(fusedGrads[name] - expected).abs().max().item<float>()}");
        }
    }

    [Theory]
    [InlineData(false, 1, GruLayerFunction.ChunkBytes)]
    [InlineData(true, 2, 3L * Batch * 3 * Hidden * sizeof(float))]     // two layers, chunks of three steps
    [InlineData(false, 2, 1)]                                           // one step per chunk
    public void Last_outputs_computed_only_while_rows_run_equal_libtorchs(bool bias, int layers, long chunkBytes)
    {
        manual_seed(9);
        using var gru = nn.GRU(InputSize, Hidden, layers, bias: bias, batchFirst: true);
        var input = randn(Batch, Length, InputSize).requires_grad_();
        var upstream = randn(Batch, Hidden);
        // Unsorted, with a tie, a full row and a one-item row.
        using var lengths = tensor(new long[] { 3, Length, 1, 3, 5 });

        var (plain, plainGrads) = Run(gru, input, upstream, x => GruStack.LastOutputs(gru, x, lengths, KernelChoice.Plain));
        var (fused, fusedGrads) = Run(gru, input, upstream, x => GruStack.LastOutputs(gru, x, lengths, KernelChoice.Fused, chunkBytes));

        Assert.Equal(new long[] { Batch, Hidden }, fused.shape);
        Assert.True(fused.allclose(plain, rtol: 1e-5, atol: 1e-6), $"outputs differ by {(fused - plain).abs().max().item<float>()}");
        foreach (var (name, expected) in plainGrads)
        {
            Assert.True(expected.abs().sum().item<float>() > 0, $"{name}: zero gradient");
            Assert.True(fusedGrads[name].allclose(expected, rtol: 1e-4, atol: 1e-5), $"{name}: gradients differ by {(fusedGrads[name] - expected).abs().max().item<float>()}");
        }
        // Positions after a row's length get no gradient: the one-item row's input beyond its first step.
        Assert.Equal(0f, fusedGrads["input"][2].narrow(0, 1, Length - 1).abs().sum().item<float>());
    }

    [Fact]
    public void Outputs_up_to_the_lengths_equal_libtorchs_there_and_are_zero_after()
    {
        manual_seed(13);
        using var gru = nn.GRU(InputSize, Hidden, 2, bias: false, batchFirst: true);
        using var input = randn(Batch, Length, InputSize);
        var lengths = new long[] { 2, Length, 1, 4, 4 };
        using var lengthTensor = tensor(lengths);

        using var plain = GruStack.Run(gru, input, KernelChoice.Plain);
        using var fused = GruStack.RunUpToLengths(gru, input, lengthTensor, KernelChoice.Fused, 3L * Batch * 3 * Hidden * sizeof(float));

        for (var row = 0; row < Batch; row++)
        {
            var (real, after) = (lengths[row], Length - lengths[row]);
            Assert.True(fused[row].narrow(0, 0, real).allclose(plain[row].narrow(0, 0, real), rtol: 1e-5, atol: 1e-6), $"row {row} differs");
            if (after > 0) Assert.Equal(0f, fused[row].narrow(0, real, after).abs().sum().item<float>());
        }
    }

    [Fact]
    public void A_float64_input_takes_the_plain_path()
    {
        using var gru = nn.GRU(InputSize, Hidden, 1, bias: false, batchFirst: true);
        gru.to(ScalarType.Float64);
        using var input = randn(Batch, Length, InputSize, ScalarType.Float64);
        using var output = GruStack.Run(gru, input, KernelChoice.Fused);
        Assert.Equal(ScalarType.Float64, output.dtype);
        Assert.Equal(new long[] { Batch, Length, Hidden }, output.shape);
    }

    private static (Tensor Output, Dictionary<string, Tensor> Grads) Run(nn.Module gru, Tensor input, Tensor upstream, Func<Tensor, Tensor> forward)
    {
        input.grad?.zero_();
        gru.zero_grad();
        var output = forward(input.mul(1.0));
        output.backward([upstream]);
        var grads = gru.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        grads["input"] = input.grad!.clone();
        return (output.detach().clone(), grads);
    }
}
