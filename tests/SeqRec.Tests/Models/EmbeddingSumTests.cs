using SeqRec.Kernels;
using SeqRec.Modeling;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

[Collection(TorchGlobalRandomCollection.Name)]
public class EmbeddingSumTests
{
    [Theory]
    [InlineData(6, 10, 16)]
    [InlineData(3, 1, 5)]
    [InlineData(130, 7, 12)]
    public void Fused_embedding_sum_gives_the_sum_and_gradient_of_the_plain_lookup(int sequences, int length, int width)
    {
        manual_seed(11);
        var weight = randn(9, width).requires_grad_();
        var ids = randint(0, 9, [sequences, length], dtype: ScalarType.Int64);
        ids[0] = zeros(length, ScalarType.Int64); // a row of padding: row 0 is summed too, and learns
        var upstream = randn(sequences, width);

        var fused = EmbeddingSum.Apply(ids, weight, KernelChoice.Fused);
        var fusedGrad = autograd.grad([fused.mul(upstream).sum()], [weight])[0];
        var plain = EmbeddingSum.Apply(ids, weight, KernelChoice.Plain);
        var plainGrad = autograd.grad([plain.mul(upstream).sum()], [weight])[0];

        Assert.True(fused.allclose(plain, rtol: 1e-6, atol: 1e-6), $"max difference {(fused - plain).abs().max().item<float>()}");
        Assert.True(fusedGrad.allclose(plainGrad, rtol: 1e-5, atol: 1e-6), $"max difference {(fusedGrad - plainGrad).abs().max().item<float>()}");
        Assert.True(plainGrad[0].abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Fused_embedding_sum_refuses_an_id_outside_the_table()
    {
        var weight = randn(4, 8).requires_grad_();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingSum.Apply(tensor(new long[,] { { 1, 4 } }), weight, KernelChoice.Fused));
        Assert.Contains("id 4", error.Message);
    }
}
