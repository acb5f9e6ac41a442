using SeqRec.Modeling;
using SeqRec.Models.Layers;
using Xunit;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Tests.Models;

[Collection(TorchGlobalRandomCollection.Name)]
public class ReturnedGradientsTests
{
    [Fact]
    public void Handed_gradients_outlive_the_call_and_are_released_by_the_next_one()
    {
        using var scope = NewDisposeScope();
        ReturnedGradients.ReleaseEarlier();
        var first = ones(3);
        var handed = ReturnedGradients.Hand(first, null);
        Assert.Equal(2, handed.Count);
        Assert.Same(first, handed[0]);
        Assert.Null(handed[1]);
        Assert.False(first.IsInvalid);

        var second = ones(3);
        ReturnedGradients.Hand(second);
        Assert.True(first.IsInvalid, "the earlier call's gradient is still held");
        Assert.False(second.IsInvalid);
        ReturnedGradients.ReleaseEarlier();
        Assert.True(second.IsInvalid);
    }

    [Fact]
    public void Through_a_chain_of_custom_nodes_gradients_are_right_and_only_the_last_nodes_are_still_held()
    {
        using var scope = NewDisposeScope();
        ReturnedGradients.ReleaseEarlier();
        manual_seed(3);
        var input = randn(64, 32).add_(5).requires_grad_();   // no zeros: the gradient is output / input
        var output = input;
        const int nodes = 6;
        for (var i = 0; i < nodes; i++)
            output = DropoutFunction.Apply(output, seed: (ulong)(i + 1), dropBelow: uint.MaxValue / 4, scale: 4f / 3, inPlace: false);
        var loss = output.sum();
        var heldBefore = scope.DisposablesCount;

        loss.backward();

        // Each node hands back one [64, 32] gradient; before, all of them stayed in the caller's scope until it ended.
        var held = scope.DisposablesCount - heldBefore;
        Assert.True(held <= 3, $"{held} tensors more in the caller's scope after backward through {nodes} nodes");
        using var noGrad = no_grad();
        var expected = output.detach().div(input.detach());
        Assert.True(input.grad!.allclose(expected, rtol: 1e-5, atol: 1e-6), "gradient differs from output / input");
        Assert.True(output.eq(0).any().item<bool>(), "no element was dropped");
        ReturnedGradients.ReleaseEarlier();
    }
}
