using SeqRec.Models.Layers;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Tests.Models;

[Collection(TorchGlobalRandomCollection.Name)]
public class FusedLinearTests
{
    [Fact]
    public void Fused_layers_give_each_layers_output_in_pieces_and_the_same_gradients()
    {
        manual_seed(11);
        Linear[] layers = [nn.Linear(6, 4), nn.Linear(6, 4), nn.Linear(6, 4)];
        var fusedInput = randn(3, 5, 6).requires_grad_();
        var plainInput = fusedInput.detach().clone().requires_grad_();
        var weights = randn(3, 5, 4);

        var pieces = FusedLinear.Apply(fusedInput, 2, layers);
        Assert.Equal(6, pieces.Length);
        var fusedLoss = zeros(1);
        for (var i = 0; i < layers.Length; i++)
        {
            var joined = cat([pieces[2 * i], pieces[2 * i + 1]], -1);
            using var noGrad = no_grad();
            Assert.True(joined.allclose(layers[i].call(plainInput), rtol: 1e-6, atol: 1e-6), $"layer {i} output");
        }
        for (var i = 0; i < layers.Length; i++)
            fusedLoss = fusedLoss + cat([pieces[2 * i], pieces[2 * i + 1]], -1).mul(weights[i]).sum();
        fusedLoss.backward();
        var fusedGrads = layers.SelectMany(l => new[] { l.weight!.grad!.clone(), l.bias!.grad!.clone() }).ToArray();

        foreach (var layer in layers) layer.zero_grad();
        var plainLoss = zeros(1);
        for (var i = 0; i < layers.Length; i++) plainLoss = plainLoss + layers[i].call(plainInput).mul(weights[i]).sum();
        plainLoss.backward();
        var plainGrads = layers.SelectMany(l => new[] { l.weight!.grad!, l.bias!.grad! }).ToArray();

        for (var i = 0; i < plainGrads.Length; i++)
        {
            Assert.True(plainGrads[i].abs().sum().item<float>() > 0, $"parameter {i}: zero gradient");
            Assert.True(fusedGrads[i].allclose(plainGrads[i], rtol: 1e-5, atol: 1e-6), $"parameter {i} gradient");
        }
        Assert.True(fusedInput.grad!.allclose(plainInput.grad!, rtol: 1e-5, atol: 1e-6), "input gradient");
    }
}
