using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Evaluation;
using SeqRec.Modeling;
using SeqRec.Runs;
using SeqRec.Tests.Configuration;
using SeqRec.Training;
using SeqRec.Tuning.Space;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>
/// The contract every registered model keeps, run for each model of the registry: a model that registers gets these
/// tests without writing any. Data is tiny and synthetic; every field a model can declare is in the batch.
/// </summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class ModelContractTests : IDisposable
{
    private const int NItems = 30, Length = 8, NUsers = 12;
    private static readonly ModelContext Context = new(NItems, Length, NUsers);
    private static readonly int[] Lengths = [8, 3, 1, 5, 8, 2];

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Models() => [.. TinyModels.Registry.All.Select(m => m.Id)];

    /// <summary>Every model with every loss type its configuration allows.</summary>
    public static TheoryData<string, string> ModelsAndLosses()
    {
        var data = new TheoryData<string, string>();
        foreach (var info in TinyModels.Registry.All)
        {
            var lossType = info.Config.Parameters.FirstOrDefault(p => p.Key == "loss_type");
            foreach (var loss in lossType?.AllowedValues ?? ["default"]) data.Add(info.Id, loss);
        }
        return data;
    }

    /// <summary>The models that read user ids (they say so in <c>Needs</c>).</summary>
    public static TheoryData<string> ModelsWithUsers()
    {
        var data = new TheoryData<string>();
        foreach (var info in TinyModels.Registry.All)
        {
            using var model = TinyModels.Create(info, Context, (string?)null, seed: 1);
            if (model.Needs.UserIds) data.Add(info.Id);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsWithUsers))]
    public void A_model_that_reads_user_ids_refuses_data_without_users(string modelId)
    {
        var error = Assert.Throws<SeqRecException>(() => TinyModels.Create(TinyModels.Info(modelId), Context with { NUsers = 0 }, (string?)null, seed: 1));

        Assert.Contains("needs user ids", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Outputs_have_the_contract_shapes(string modelId)
    {
        using var model = Create(modelId, seed: 1);
        model.eval();
        using var batch = BatchFor(model);
        using var noGrad = no_grad();

        Assert.Equal(Lengths.Length, model.Forward(batch).shape[0]);
        var all = model.FullSortScores(batch);
        Assert.Equal([Lengths.Length, NItems], all.shape);
        Assert.True(all.isfinite().all().item<bool>(), "full-sort scores are finite");
        Assert.Equal([Lengths.Length], model.Predict(batch, batch.PosItems).shape);
        using var candidates = randint(1, NItems, [Lengths.Length, 5], dtype: ScalarType.Int64);
        Assert.Equal([Lengths.Length, 5], model.Predict(batch, candidates).shape);
    }

    [Theory]
    [MemberData(nameof(ModelsAndLosses))]
    public void One_training_step_gives_a_finite_loss_reproducible_by_seed(string modelId, string lossType)
    {
        var first = TrainStep(modelId, lossType, seed: 11);
        var again = TrainStep(modelId, lossType, seed: 11);
        var other = TrainStep(modelId, lossType, seed: 12);

        Assert.True(double.IsFinite(first.Before) && double.IsFinite(first.After), $"{first}");
        Assert.Equal(first, again);
        // Another seed builds another model. Its first loss need not differ: STAMP's N(0, 0.002) embeddings put every
        // initial score below the loss's float32 resolution, so its first CE loss is exactly ln(n_items) for any seed.
        Assert.False(SameInitialWeights(modelId, lossType, 11, 12), $"seeds 11 and 12 build the same model: {first}, {other}");
    }

    [Theory]
    [MemberData(nameof(ModelsAndLosses))]
    public void A_batch_of_one_trains_and_scores_with_a_one_item_and_a_full_history(string modelId, string lossType)
    {
        foreach (var length in new[] { 1, Length })
        {
            using var model = Create(modelId, seed: 2, lossType);
            model.train();
            using (var batch = TinyModels.Batch(NItems, Length, [length]))
            {
                model.Needs.TrainingTransform?.Apply(batch, new BatchOrigin(Seed: 5, Epoch: 0, BatchIndex: 0));
                using var loss = model.CalculateLoss(batch).Total;
                loss.backward();
                Assert.True(float.IsFinite(loss.item<float>()), $"length {length}: loss {loss.item<float>()}");
                Assert.All(model.parameters().Where(p => p.grad is not null), p => Assert.True(p.grad!.isfinite().all().item<bool>(), $"length {length}: a gradient is not finite"));
            }

            model.eval();
            using var evaluation = TinyModels.Batch(NItems, Length, [length]);
            model.Needs.EvaluationTransform?.Apply(evaluation, new BatchOrigin(Seed: 5, Epoch: -1, BatchIndex: 0));
            using var noGrad = no_grad();
            using var scores = model.FullSortScores(evaluation);
            Assert.Equal([1, NItems], scores.shape);
            Assert.True(scores.isfinite().all().item<bool>(), $"length {length}: scores are not finite");
        }
    }

    private static bool SameInitialWeights(string modelId, string lossType, long seed, long otherSeed)
    {
        using var model = Create(modelId, seed, lossType);
        using var other = Create(modelId, otherSeed, lossType);
        var weights = other.state_dict();
        return model.state_dict().All(p => p.Value.equal(weights[p.Key]).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Backward_reaches_the_parameters(string modelId)
    {
        using var model = Create(modelId, seed: 3);
        model.train();
        using var batch = BatchFor(model, training: true);

        model.CalculateLoss(batch).Total.backward();

        var withGradient = model.named_parameters().Count(p => p.parameter.grad is { } g && g.abs().sum().item<float>() > 0);
        Assert.True(withGradient > 0, "no parameter received a gradient");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_checkpoint_restores_the_same_scores_in_a_model_built_with_another_seed(string modelId)
    {
        using var saved = Create(modelId, seed: 1);
        using var fresh = Create(modelId, seed: 2);
        saved.eval();
        fresh.eval();
        var path = Path.Combine(_dir.Path, $"{modelId}.ckpt");
        var info = TinyModels.Info(modelId);

        ModelCheckpoint.Save(path, saved, new CheckpointInfo(modelId, "synthetic", "", info.AssemblyLabel), 0, MetricValues.Empty);
        var header = ModelCheckpoint.LoadWeights(path, fresh);

        using var batch = BatchFor(saved);
        using var noGrad = no_grad();
        Assert.True(saved.FullSortScores(batch).eq(fresh.FullSortScores(batch)).all().item<bool>(), "scores differ after loading the checkpoint");
        Assert.Equal(info.AssemblyLabel, header.Info.ModelAssembly);
        Assert.Equal(saved.state_dict().Keys.Order(), fresh.state_dict().Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void The_default_configuration_round_trips_through_toml(string modelId)
    {
        var config = ConfigAssert.Resolve(new ConfigRequest { Model = modelId });
        var again = ConfigAssert.Resolve(new ConfigRequest { Texts = [new ConfigText("resolved", TomlConfigWriter.Write(config))] });

        Assert.Equal(TomlConfigWriter.Write(config), TomlConfigWriter.Write(again));
        Assert.Equal(config.ModelConfig.GetValues(), again.ModelConfig.GetValues());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Describe_lists_every_parameter(string modelId)
    {
        var (code, output, error) = Cli.CliRun.Run("describe", modelId);

        Assert.True(code == 0, error);
        Assert.All(TinyModels.Info(modelId).Config.Parameters, p => Assert.Contains(p.Key, output, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Ships_an_ml100k_config_and_a_search_space(string modelId)
    {
        var config = Path.Combine(TestPaths.RepoRoot, "configs", $"{modelId}-ml100k.toml");
        var hyper = Path.Combine(TestPaths.RepoRoot, "configs", "hyper", $"{modelId}.hyper");
        Assert.True(File.Exists(config), $"missing {config}");
        Assert.True(File.Exists(hyper), $"missing {hyper}");

        var resolved = ConfigAssert.Resolve(new ConfigRequest { Files = [config] });
        Assert.Equal(modelId, resolved.Model.Id);
        var space = HyperFileParser.ParseFile(hyper, [.. ConfigResolver.CoreSections, resolved.Model.Config]);
        Assert.NotEmpty(space.Domains);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void The_plain_and_fused_kernels_give_the_same_scores_loss_and_gradients(string modelId)
    {
        // Without dropout (the two paths draw different masks), in training mode so that training-only paths run.
        var (fusedScores, fusedLoss, fusedGrads) = ScoresLossAndGradients(modelId, KernelChoice.Fused);
        var (plainScores, plainLoss, plainGrads) = ScoresLossAndGradients(modelId, KernelChoice.Plain);

        Assert.True(fusedScores.allclose(plainScores, rtol: 1e-4, atol: 1e-5), $"scores differ by {(fusedScores - plainScores).abs().max().item<float>()}");
        Assert.Equal(plainLoss, fusedLoss, 1e-4);
        Assert.Equal(plainGrads.Keys.Order(), fusedGrads.Keys.Order());
        foreach (var (name, expected) in plainGrads)
            Assert.True(fusedGrads[name].allclose(expected, rtol: 1e-3, atol: 1e-5), $"{name}: gradients differ by {(fusedGrads[name] - expected).abs().max().item<float>()}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_float64_model_trains_on_the_paths_the_kernels_guard(string modelId)
    {
        // The SIMD kernels read float32 only: any other dtype (or device) must take the plain path, never reach them.
        using var model = Create(modelId, seed: 6);
        model.to(ScalarType.Float64);
        model.train();
        using var batch = BatchFor(model, training: true);

        using var loss = model.CalculateLoss(batch).Total;
        loss.backward();

        Assert.Equal(ScalarType.Float64, loss.dtype);
        Assert.True(double.IsFinite(loss.item<double>()));
    }

    private static (Tensor Scores, double Loss, Dictionary<string, Tensor> Grads) ScoresLossAndGradients(string modelId, KernelChoice kernels)
    {
        var info = TinyModels.Info(modelId);
        var source = new ConfigSource("test");
        var table = new ConfigTable(source);
        foreach (var dropout in info.Config.Parameters.Where(p => p.Key.Contains("dropout", StringComparison.Ordinal)))
            table.Set(dropout.Key, dropout.TypeName.EndsWith("[]", StringComparison.Ordinal)
                ? new ConfigArray([.. ((System.Collections.IEnumerable)dropout.Default!).Cast<object>().Select(_ => (ConfigNode)new ConfigScalar(0.0, source))], source)
                : new ConfigScalar(0.0, source));
        var errors = new ConfigErrors();
        var config = info.Config.Bind(table, errors);
        Assert.False(errors.HasErrors, errors.ToString());
        manual_seed(21);
        using var model = info.Create(config, Context);
        model.UseKernels(kernels);
        model.train();
        using var batch = BatchFor(model, training: true);
        var scores = model.FullSortScores(batch).detach();
        using var loss = model.CalculateLoss(batch).Total;
        loss.backward();
        var grads = model.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        return (scores, loss.item<float>(), grads);
    }

    private static SequentialRecommender Create(string modelId, long seed, string? lossType = null) =>
        TinyModels.Create(TinyModels.Info(modelId), Context, lossType is "default" ? null : lossType, seed);

    /// <summary>The tiny batch with the model's own training or evaluation transform applied, as the pipeline would.</summary>
    private static Batch BatchFor(SequentialRecommender model, bool training = false)
    {
        var batch = TinyModels.Batch(NItems, Length, Lengths);
        var transform = training ? model.Needs.TrainingTransform : model.Needs.EvaluationTransform;
        transform?.Apply(batch, new BatchOrigin(Seed: 5, Epoch: training ? 0 : -1, BatchIndex: 0));
        return batch;
    }

    private static (double Before, double After) TrainStep(string modelId, string lossType, long seed)
    {
        using var model = Create(modelId, seed, lossType);
        model.train();
        using var batch = BatchFor(model, training: true);
        using var step = new TrainingStep(model, new TrainerConfig { LearningRate = 1e-3 });
        var before = step.Run(batch).Loss;
        using var noGrad = no_grad();
        using var after = model.CalculateLoss(batch).Total;
        return (before, after.item<float>());
    }
}
