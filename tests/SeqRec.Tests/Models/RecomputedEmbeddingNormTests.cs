using SeqRec.Modeling;
using SeqRec.Models;
using Xunit;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Tests.Models;

[Collection(TorchGlobalRandomCollection.Name)]
public class RecomputedEmbeddingNormTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Recomputing_in_blocks_gives_the_outputs_and_gradients_of_plain_autograd(bool withPositions)
    {
        manual_seed(41);
        // 5 sequences of 3 positions in blocks of 6 rows: two sequences per block, the last block partial.
        var itemSeq = tensor(new long[,] { { 4, 2, 0 }, { 1, 1, 3 }, { 5, 0, 0 }, { 2, 3, 4 }, { 6, 1, 0 } });
        var weight = randn(7, 4).requires_grad_();
        var positions = withPositions ? randn(3, 4).requires_grad_() : null;
        var normWeight = (randn(4) + 1).requires_grad_();
        var normBias = randn(4).requires_grad_();
        Tensor[] leaves = positions is null ? [weight, normWeight, normBias] : [weight, positions, normWeight, normBias];
        var upstream = arange(5 * 3 * 4).view(5, 3, 4).sin();

        var blocked = RecomputedEmbeddingNorm.Apply(itemSeq, weight, positions, normWeight, normBias, 1e-12, blockRows: 6);
        var blockedGrads = autograd.grad([blocked.mul(upstream).sum()], leaves);
        var items = weight.index_select(0, itemSeq.flatten()).view(5, 3, 4);
        var plain = nn.functional.layer_norm(positions is null ? items : items.add(positions), [4], normWeight, normBias, 1e-12);
        var plainGrads = autograd.grad([plain.mul(upstream).sum()], leaves);
        plainGrads[0][SequentialRecommender.PaddingId].zero_(); // what padding_idx means: the padding row learns nothing

        Assert.True(blocked.allclose(plain, rtol: 1e-6, atol: 1e-6), "outputs differ");
        for (var i = 0; i < leaves.Length; i++)
        {
            Assert.True(plainGrads[i].abs().sum().item<float>() > 0, $"input {i}: zero gradient");
            Assert.True(blockedGrads[i].allclose(plainGrads[i], rtol: 1e-5, atol: 1e-6),
                $"input {i}: max difference {(blockedGrads[i] - plainGrads[i]).abs().max().item<float>()}");
        }
        Assert.Equal(0f, blockedGrads[0][SequentialRecommender.PaddingId].abs().sum().item<float>());
    }

    [Theory]
    [InlineData("sasrec")]
    [InlineData("lightsans")]
    public void A_model_has_the_same_loss_and_gradients_with_and_without_recomputation(string modelId)
    {
        var (plainLoss, plainGrads) = LossAndGradients(modelId, recompute: false);
        var (recomputedLoss, recomputedGrads) = LossAndGradients(modelId, recompute: true);
        Assert.Equal(plainLoss, recomputedLoss, 5);
        foreach (var (name, expected) in plainGrads)
            Assert.True(recomputedGrads[name].allclose(expected, rtol: 1e-4, atol: 1e-6), $"{name} differs");
        Assert.True(recomputedGrads["item_embedding.weight"].abs().sum().item<float>() > 0);
        Assert.True(recomputedGrads["LayerNorm.weight"].abs().sum().item<float>() > 0);
    }

    private static (float Loss, Dictionary<string, Tensor> Grads) LossAndGradients(string modelId, bool recompute)
    {
        var context = new ModelContext(30, 8);
        using SequentialRecommender model = modelId == "sasrec"
            ? TinyModels.SasRec(context, new SasRecConfig { HiddenDropoutProb = 0, AttnDropoutProb = 0, HiddenSize = 16, InnerSize = 32 })
            : TinyModels.LightSans(context, new LightSansConfig { HiddenDropoutProb = 0, AttnDropoutProb = 0, HiddenSize = 16, InnerSize = 32 });
        if (recompute) model.UseActivationRecomputation();
        model.train();
        using var batch = TinyModels.Batch(30, 8, [8, 3, 5, 1, 7]);
        using var loss = model.CalculateLoss(batch).Total;
        loss.backward();
        return (loss.item<float>(), model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone()));
    }
}
