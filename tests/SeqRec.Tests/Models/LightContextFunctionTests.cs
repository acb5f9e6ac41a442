using SeqRec.Models.Layers;
using Xunit;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Tests.Models;

[Collection(TorchGlobalRandomCollection.Name)]
public class LightContextFunctionTests
{
    private const int Batch = 5, Length = 6, Heads = 2, HeadSize = 4, Interests = 3;

    [Theory]
    [InlineData(1L << 22)] // one block
    [InlineData(2 * Length * Heads * HeadSize)] // two sequences per block, the last block partial
    [InlineData(1)] // one sequence per block
    public void Blocked_application_gives_the_outputs_and_gradients_of_plain_autograd(long blockElements)
    {
        manual_seed(21);
        var leaves = new Dictionary<string, Tensor>
        {
            ["probs"] = rand(Heads, Length, Length).softmax(-2).requires_grad_(),
            // The values are a strided view, as in LightSANs (the first columns of a wider projection).
            ["wide"] = randn(Batch, Length, Heads * HeadSize + 3).requires_grad_(),
            ["itemProbs"] = rand(Batch, Heads, Length, Interests).requires_grad_(),
            ["interests"] = randn(Batch, Interests, Heads * HeadSize).requires_grad_(),
        };
        var upstream = randn(Batch, Length, Heads, HeadSize);

        var (plain, plainGrads) = Run(leaves, upstream, (probs, values, itemProbs, interests) =>
        {
            // The formula written out: [1, h, L, L] × [B, h, L, dh] plus [B, h, L, k] × [B, h, k, dh], back to [B, L, h, dh].
            var perHead = values.view(Batch, Length, Heads, HeadSize).transpose(1, 2);
            return probs.unsqueeze(0).matmul(perHead).add(itemProbs.matmul(interests)).transpose(1, 2);
        });
        var (blocked, blockedGrads) = Run(leaves, upstream,
            (probs, values, itemProbs, interests) => LightContextFunction.Apply(probs, values, itemProbs, interests, blockElements));

        Assert.True(blocked.allclose(plain, rtol: 1e-6, atol: 1e-6), "outputs differ");
        foreach (var (name, expected) in plainGrads)
        {
            Assert.True(expected.abs().sum().item<float>() > 0, $"{name}: zero gradient");
            Assert.True(blockedGrads[name].allclose(expected, rtol: 1e-5, atol: 1e-6), $"{name}: gradients differ");
        }
        Assert.True(blockedGrads["wide"].narrow(-1, Heads * HeadSize, 3).abs().max().item<float>() == 0, "columns outside the values got a gradient");
    }

    private static (Tensor Output, Dictionary<string, Tensor> Grads) Run(Dictionary<string, Tensor> leaves, Tensor upstream,
        Func<Tensor, Tensor, Tensor, Tensor, Tensor> attend)
    {
        foreach (var leaf in leaves.Values) leaf.grad?.zero_();
        var values = leaves["wide"].narrow(-1, 0, Heads * HeadSize);
        var interests = leaves["interests"].view(Batch, Interests, Heads, HeadSize).transpose(1, 2); // [B, h, k, dh], strided
        var output = attend(leaves["probs"].mul(1.0), values, leaves["itemProbs"].mul(1.0), interests);
        output.backward([upstream]);
        return (output.detach().clone(), leaves.ToDictionary(pair => pair.Key, pair => pair.Value.grad!.clone()));
    }
}
