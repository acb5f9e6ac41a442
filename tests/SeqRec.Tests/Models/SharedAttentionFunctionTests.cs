using SeqRec.Models.Layers;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

[Collection(TorchGlobalRandomCollection.Name)]
public class SharedAttentionFunctionTests
{
    [Theory]
    [InlineData(1L << 22)] // one block
    [InlineData(2 * 6 * 8)] // two sequences per block, the last block partial
    [InlineData(1)] // one sequence per block
    public void Blocked_application_gives_the_outputs_and_gradients_of_plain_autograd(long blockElements)
    {
        const int batch = 5, length = 6, heads = 2, headSize = 4;
        manual_seed(21);
        using var probsLeaf = rand(heads, length, length).softmax(-2).requires_grad_();
        // The values are a strided view, as in LightSANs (the first columns of a wider projection).
        using var wideLeaf = randn(batch, length, heads * headSize + 3).requires_grad_();
        using var upstream = randn(batch, length, heads, headSize);

        var (plain, plainGradProbs, plainGradWide) = Run(probsLeaf, wideLeaf, upstream, (probs, values) =>
        {
            // The formula written out: [1, h, L, L] × [B, h, L, dh], back to [B, L, h, dh].
            var perHead = values.view(batch, length, heads, headSize).transpose(1, 2);
            return probs.unsqueeze(0).matmul(perHead).transpose(1, 2);
        });
        var (blocked, blockedGradProbs, blockedGradWide) = Run(probsLeaf, wideLeaf, upstream,
            (probs, values) => SharedAttentionFunction.Apply(probs, values, blockElements));

        Assert.True(blocked.allclose(plain, rtol: 1e-6, atol: 1e-6), "outputs differ");
        Assert.True(blockedGradProbs.allclose(plainGradProbs, rtol: 1e-5, atol: 1e-6), "probability gradients differ");
        Assert.True(blockedGradWide.allclose(plainGradWide, rtol: 1e-5, atol: 1e-6), "value gradients differ");
        Assert.True(blockedGradWide.narrow(-1, heads * headSize, 3).abs().max().item<float>() == 0, "columns outside the values got a gradient");
        Assert.True(blockedGradProbs.abs().sum().item<float>() > 0);
    }

    private static (Tensor Output, Tensor GradProbs, Tensor GradWide) Run(Tensor probsLeaf, Tensor wideLeaf, Tensor upstream,
        Func<Tensor, Tensor, Tensor> attend)
    {
        probsLeaf.grad?.zero_();
        wideLeaf.grad?.zero_();
        var probs = probsLeaf.mul(1.0);
        var values = wideLeaf.narrow(-1, 0, upstream.shape[2] * upstream.shape[3]);
        var output = attend(probs, values);
        output.backward([upstream]);
        return (output.detach().clone(), probsLeaf.grad!.clone(), wideLeaf.grad!.clone());
    }
}
