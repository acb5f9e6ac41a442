using SeqRec.Configuration;
using SeqRec.Runs;
using SeqRec.Training;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Training;

public class TrainerTests
{
    private static TrainingResult RunScripted(int[] ranks, TrainerConfig config, TrainingHarness harness, RecordingObserver? observer = null)
    {
        using var model = new ScriptedModel();
        var recorder = observer ?? new RecordingObserver();
        var scripting = new CompositeTrainingObserver(new RecordingObserver { OnEpochTrained = e => model.Rank = ranks[e.Epoch] }, recorder);
        var trainer = new Trainer(model, config, TrainingHarness.Evaluator(), scripting);
        return trainer.Fit(TrainingHarness.ScriptedData(), harness.Outputs());
    }

    [Fact]
    public void Named_loss_parts_are_summed_per_epoch_beside_the_total()
    {
        using var harness = new TrainingHarness();
        var data = SyntheticData.Create(users: 30, nItems: 20);
        manual_seed(4);
        using var model = new MeanPoolModel(data.NItems, data.MaxSeqLength, dropoutProb: 0, regWeight: 0.5);
        var trainer = new Trainer(model, new TrainerConfig { Epochs = 2 }, TrainingHarness.Evaluator());

        var result = trainer.Fit(TrainingHarness.Data(data, batchSize: 16, seed: 1), harness.Outputs());

        Assert.All(result.History, epoch =>
        {
            Assert.Equal(["main", "reg"], epoch.LossParts!.Keys);
            Assert.True(epoch.LossParts["reg"] > 0);
            Assert.Equal(epoch.Loss, epoch.LossParts["main"] + epoch.LossParts["reg"], 4);
        });

        // A resumed run keeps the earlier epochs' parts and memory peaks (they travel in the resume state).
        var resumed = new Trainer(model, new TrainerConfig { Epochs = 3 }, TrainingHarness.Evaluator())
            .Fit(TrainingHarness.Data(data, batchSize: 16, seed: 1), harness.Outputs(), resume: true);
        Assert.Equal(result.History[1].LossParts, resumed.History[1].LossParts);
        Assert.Equal(3, resumed.History.Count);
        Assert.All(resumed.History, epoch => Assert.True(epoch.PeakResidentBytes > 0));
        Assert.Equal(result.History.Select(e => e.PeakResidentBytes), resumed.History.Take(2).Select(e => e.PeakResidentBytes));
    }

    [Fact]
    public void Early_stopping_counts_ties_and_stops_after_stopping_step_plus_one_evaluations_without_improvement()
    {
        using var harness = new TrainingHarness();
        // MRR@10 per epoch: 0.2, 0.25, 0.25 (tie: improvement), 0.1667, 0.125, 0.1111 (third miss > stopping_step 2).
        int[] ranks = [5, 4, 4, 6, 8, 9, 1, 1, 1, 1];

        var result = RunScripted(ranks, new TrainerConfig { Epochs = 10, StoppingStep = 2 }, harness);

        Assert.True(result.StoppedEarly);
        Assert.Equal(6, result.History.Count);
        Assert.Equal(2, result.BestEpoch);
        Assert.Equal([true, true, true, false, false, false], result.History.Select(e => e.Improved));
        Assert.Equal([0.2, 0.25, 0.25, 0.1667, 0.125, 0.1111], result.History.Select(e => e.ValidScore!.Value));
        Assert.Equal(0.25, result.BestValid["mrr@10"]);
    }

    [Fact]
    public void The_test_set_is_evaluated_with_the_best_checkpoint()
    {
        using var harness = new TrainingHarness();
        var observer = new RecordingObserver();

        var result = RunScripted([5, 2, 7, 8], new TrainerConfig { Epochs = 4, StoppingStep = 10 }, harness, observer);

        Assert.False(result.StoppedEarly);
        Assert.Equal(1, result.BestEpoch);
        Assert.Equal(0.5, result.Test["mrr@10"]);
        var test = Assert.Single(observer.Evaluations, e => e.Split == "test");
        Assert.Equal(1, test.Epoch);
        Assert.Equal(1, ModelCheckpoint.ReadHeader(harness.Outputs().BestCheckpointPath).Epoch);
    }

    [Fact]
    public void Validation_runs_every_eval_step_epochs()
    {
        using var harness = new TrainingHarness();

        var result = RunScripted([3, 3, 3, 3, 3], new TrainerConfig { Epochs = 5, EvalStep = 2 }, harness);

        Assert.Equal([false, true, false, true, false], result.History.Select(e => e.ValidScore is not null));
        Assert.Equal(3, result.BestEpoch);
    }

    [Fact]
    public void Without_a_validation_set_the_latest_model_is_kept()
    {
        using var harness = new TrainingHarness();
        using var model = new ScriptedModel();
        var data = TrainingHarness.ScriptedData() with { Valid = null };
        var scripting = new RecordingObserver { OnEpochTrained = e => model.Rank = 4 - e.Epoch };

        var result = new Trainer(model, new TrainerConfig { Epochs = 3 }, TrainingHarness.Evaluator(), scripting).Fit(data, harness.Outputs());

        Assert.Equal(2, result.BestEpoch);
        Assert.Empty(result.BestValid);
        Assert.Equal(0.5, result.Test["mrr@10"]);
    }

    [Fact]
    public void A_NaN_loss_is_an_error_naming_the_epoch_and_batch()
    {
        using var harness = new TrainingHarness();
        // Three batches per epoch: step 5 is epoch 1, batch 2.
        using var model = new ScriptedModel(nanAtStep: 5);
        var trainer = new Trainer(model, new TrainerConfig { Epochs = 3 }, TrainingHarness.Evaluator());

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(TrainingHarness.ScriptedData(trainSamples: 6, batchSize: 2), harness.Outputs()));

        Assert.Contains("NaN", error.Message);
        Assert.Contains("epoch 1, batch 2", error.Message);
    }

    [Fact]
    public void The_epoch_loss_is_the_sum_of_the_batch_mean_losses()
    {
        using var harness = new TrainingHarness();
        var data = SyntheticData.Create();
        manual_seed(3);
        using var model = new MeanPoolModel(data.NItems, data.MaxSeqLength, dropoutProb: 0);
        var expected = SyntheticData.EvalBatches(data.Train, 8).Sum(batch =>
        {
            using (batch) using (var loss = model.CalculateLoss(batch).Total) return (double)loss.item<float>();
        });
        var trainingData = TrainingHarness.Data(data, 8, 1) with { TrainBatches = _ => SyntheticData.EvalBatches(data.Train, 8) };

        // Learning rate 0 keeps the weights, so the epoch sees the same losses as computed above.
        var result = new Trainer(model, new TrainerConfig { Epochs = 1, LearningRate = 0 }, TrainingHarness.Evaluator()).Fit(trainingData, harness.Outputs());

        Assert.Equal(expected, result.History[0].Loss, 5);
        Assert.Equal((data.Train.Count + 7) / 8, result.History[0].Batches);
        Assert.Equal(data.Train.Count, result.History[0].Samples);
    }

    [Fact]
    public void Training_lowers_the_loss_and_leaves_no_temporary_files()
    {
        using var harness = new TrainingHarness();
        var data = SyntheticData.Create();
        manual_seed(4);
        using var model = new MeanPoolModel(data.NItems, data.MaxSeqLength);
        var config = new TrainerConfig { Epochs = 8, TrainBatchSize = 8, LearningRate = 0.02, ClipGradNorm = 5.0 };

        var result = new Trainer(model, config, TrainingHarness.Evaluator()).Fit(TrainingHarness.Data(data, 8, 1), harness.Outputs());

        Assert.True(result.History[^1].Loss < result.History[0].Loss, $"loss {result.History[0].Loss} -> {result.History[^1].Loss}");
        var files = Directory.GetFiles(Path.GetDirectoryName(harness.Outputs().BestCheckpointPath)!);
        Assert.Equal(["best.ckpt", "resume.state"], files.Select(Path.GetFileName).Order());
    }
}
