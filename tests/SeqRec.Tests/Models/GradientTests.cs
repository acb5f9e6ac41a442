using SeqRec.Modeling;
using SeqRec.Models;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

public class GradientTests
{
    private const int NItems = 20, Length = 6;

    [Theory]
    [InlineData("lightsans")]
    [InlineData("sasrec")]
    public void The_padding_lookup_gives_the_padding_row_no_gradient(string modelId)
    {
        // BPR never scores item 0, so any gradient on row 0 could only come through the embedding lookup of padding.
        using var model = (ItemEmbeddingRecommender)TinyModels.Create(TinyModels.Info(modelId), new ModelContext(NItems, Length), LossType.BPR, 5);
        using var batch = TinyModels.Batch(NItems, Length, [2, 6, 1, 4]);
        var seq = batch.ItemSeq;
        Assert.True(seq.eq(0).any().item<bool>(), "the batch must contain padding");

        model.CalculateLoss(batch).Total.backward();

        var grad = model.ItemEmbeddingWeight.grad!;
        Assert.Equal(0f, grad[0].abs().max().item<float>());
        Assert.True(grad[seq[1, 0].item<long>()].abs().max().item<float>() > 0);
    }

    [Fact]
    public void Under_ce_the_padding_row_gets_only_its_output_score_gradient_like_the_reference()
    {
        // RecBole's CE scores every column including padding, so row 0 learns through the logits (not the lookup).
        using var model = (ItemEmbeddingRecommender)TinyModels.Create(TinyModels.Info("sasrec"), new ModelContext(NItems, Length), LossType.CE, 5);
        model.eval();
        using var batch = TinyModels.Batch(NItems, Length, [2, 6, 1, 4]);

        var seqOutput = model.Forward(batch);
        model.LossFrom(seqOutput, batch).backward();

        using var noGrad = no_grad();
        var logits = seqOutput.matmul(model.ItemEmbeddingWeight.t());
        var expected = (logits.softmax(-1).select(1, 0).unsqueeze(1) * seqOutput).sum([0L]) / 4;
        var actual = model.ItemEmbeddingWeight.grad![0];
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-7), $"{string.Join(",", actual.data<float>().ToArray().Take(5))} vs {string.Join(",", expected.data<float>().ToArray().Take(5))}");
    }

    [Fact]
    public void Every_parameter_of_lightsans_gets_a_gradient_including_theta()
    {
        using var model = TinyModels.Create(TinyModels.Info("lightsans"), new ModelContext(NItems, Length), LossType.CE, 5);
        using var batch = TinyModels.Batch(NItems, Length, [2, 6, 1, 4]);

        model.CalculateLoss(batch).Total.backward();

        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(parameter.grad is not null, $"{name} has no gradient");
            Assert.True(parameter.grad!.abs().sum().item<float>() > 0, $"{name} has a zero gradient");
        }
    }
}
