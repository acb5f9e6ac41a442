using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using SeqRec.Models;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>What CORE and RepeatNet do beyond the shared contract: CORE's cosine scores and CE-only loss, RepeatNet's distribution and loss parts.</summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class CoreAndRepeatNetTests
{
    private const int NItems = 30, Length = 8;
    private static readonly ModelContext Context = new(NItems, Length, 0);

    [Fact]
    public void Core_refuses_a_loss_other_than_CE_naming_loss_type()
    {
        var source = new ConfigSource("test");
        var table = new ConfigTable(source);
        table.Set("loss_type", new ConfigScalar("BPR", source));
        var errors = new ConfigErrors();
        TinyModels.Info("core").Config.Bind(table, errors);

        Assert.True(errors.HasErrors);
        Assert.Contains("loss_type", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Core_ave_is_the_normalised_mean_of_the_real_items_and_full_sort_scores_are_cosines_over_the_temperature()
    {
        manual_seed(4);
        var config = new CoreConfig { DnnType = CoreDnnType.Ave, EmbeddingSize = 16, Temperature = 0.5 };
        using var model = new Core(config, Context);
        model.eval();
        using var batch = TinyModels.Batch(NItems, Length, [8, 3, 1]);
        using var noGrad = no_grad();

        var weight = model.state_dict()["item_embedding.weight"];
        var mean = weight[batch.ItemSeq[1, ..3]].mean([0]);
        var expected = mean / mean.norm();
        Assert.True(model.Forward(batch)[1].allclose(expected, atol: 1e-6));

        var scores = model.FullSortScores(batch);
        Assert.True(scores.abs().max().item<float>() <= 1 / 0.5 + 1e-5, "cosine / temperature is at most 1 / temperature");
        var item = batch.PosItems[0].item<long>();
        var rawScore = (model.Forward(batch)[0] * weight[item]).sum() / 0.5;
        Assert.Equal(rawScore.item<float>(), model.Predict(batch, batch.PosItems)[0].item<float>(), 5);
    }

    [Fact]
    public void RepeatNet_gives_a_distribution_over_the_items()
    {
        using var model = RepeatNet(jointTrain: false, rowwise: false);
        using var batch = TinyModels.Batch(NItems, Length, [8, 3, 1, 5]);
        using var noGrad = no_grad();

        var probabilities = model.Forward(batch);
        Assert.Equal([4, NItems], probabilities.shape);
        Assert.True(probabilities.sum(1).allclose(ones(4), atol: 1e-5), "each row sums to 1");
        Assert.True(probabilities.ge(0).all().item<bool>());
        Assert.Empty(model.CalculateLoss(batch).Parts);
    }

    [Fact]
    public void RepeatNet_joint_training_reports_the_nll_and_repeat_explore_parts()
    {
        using var model = RepeatNet(jointTrain: true, rowwise: false);
        using var batch = TinyModels.Batch(NItems, Length, [8, 3, 1, 5]);
        using var noGrad = no_grad();

        var loss = model.CalculateLoss(batch);
        Assert.Equal(["nll", "repeat_explore"], loss.Parts.Select(p => p.Name));
        Assert.Equal(loss.Total.item<float>(), loss.Parts.Sum(p => p.Value.item<float>()), 5);
    }

    [Fact]
    public void RepeatNet_outer_product_term_equals_the_rowwise_one_only_when_all_labels_agree()
    {
        using var recbole = RepeatNet(jointTrain: true, rowwise: false);
        using var rowwise = RepeatNet(jointTrain: true, rowwise: true);
        using var random = TinyModels.Batch(NItems, Length, [8, 3, 1, 5]);
        using var allRepeat = new Batch(random.ItemSeq.clone(), random.ItemSeqLen.clone(), random.ItemSeq[.., 0].clone(), [0, 1, 2, 3]);
        using var mixed = new Batch(random.ItemSeq.clone(), random.ItemSeqLen.clone(), cat([random.ItemSeq[..2, 0], random.PosItems[2..]]), [0, 1, 2, 3]);
        var repeatLabels = mixed.ItemSeq.eq(mixed.PosItems.unsqueeze(1)).any(1);
        Assert.True(repeatLabels.any().item<bool>() && !repeatLabels.all().item<bool>(), "the mixed batch needs repeat and explore rows");
        using var noGrad = no_grad();

        float Term(SequentialRecommender model, Batch batch) => model.CalculateLoss(batch).Parts[1].Value.item<float>();

        Assert.Equal(Term(rowwise, allRepeat), Term(recbole, allRepeat), 5);
        Assert.NotEqual(Term(rowwise, mixed), Term(recbole, mixed), 3);
    }

    private static RepeatNet RepeatNet(bool jointTrain, bool rowwise)
    {
        manual_seed(9);
        var model = new RepeatNet(new RepeatNetConfig { EmbeddingSize = 12, HiddenSize = 10, JointTrain = jointTrain, RowwiseRepeatExploreLoss = rowwise }, Context);
        model.eval();
        return model;
    }
}
