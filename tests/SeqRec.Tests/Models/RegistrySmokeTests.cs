using SeqRec.Modeling;
using SeqRec.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>Every registered model trains one step on tiny data, reproducibly under a seed.</summary>
[Collection(TorchGlobalRandomCollection.Name)]
public class RegistrySmokeTests
{
    public static TheoryData<string, LossType> ModelsAndLosses()
    {
        var data = new TheoryData<string, LossType>();
        foreach (var info in SeqRecModels.All)
            foreach (var loss in Enum.GetValues<LossType>())
                data.Add(info.Id, loss);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsAndLosses))]
    public void One_training_step_gives_a_finite_loss_reproducible_by_seed(string modelId, LossType lossType)
    {
        var first = TrainStep(modelId, lossType, seed: 11);
        var again = TrainStep(modelId, lossType, seed: 11);
        var other = TrainStep(modelId, lossType, seed: 12);

        Assert.True(float.IsFinite(first.Before) && float.IsFinite(first.After), $"{first}");
        Assert.Equal(first, again);
        Assert.NotEqual(first.Before, other.Before);
    }

    private static (float Before, float After) TrainStep(string modelId, LossType lossType, long seed)
    {
        const int nItems = 30, length = 8;
        using var model = TinyModels.Create(SeqRecModels.Find(modelId)!, new ModelContext(nItems, length), lossType, seed);
        model.train();
        var (seq, len, pos, neg) = TinyModels.Batch(nItems, length, [8, 3, 1, 5, 8, 2]);
        using var optimizer = optim.Adam(model.parameters(), 1e-3);

        float before;
        using (NewDisposeScope())
        {
            optimizer.zero_grad();
            var loss = model.CalculateLoss(seq, len, pos, lossType == LossType.BPR ? neg : null);
            loss.backward();
            optimizer.step();
            before = loss.item<float>();
        }
        using var noGrad = no_grad();
        using var after = model.CalculateLoss(seq, len, pos, neg);
        return (before, after.item<float>());
    }
}
