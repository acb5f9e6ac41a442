using SeqRec.Configuration;
using SeqRec.Runs;
using SeqRec.Training;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Training;

[Collection(TorchGlobalRandomCollection.Name)]
public class ResumeTests
{
    private const long Seed = 11;

    private static readonly TrainerConfig Config = new() { Epochs = 6, TrainBatchSize = 8, LearningRate = 0.01, StoppingStep = 100, Seed = Seed };

    private static readonly SyntheticData Data = SyntheticData.Create(users: 30, nItems: 20);

    private static MeanPoolModel NewModel(long seed)
    {
        manual_seed(seed);
        return new MeanPoolModel(Data.NItems, Data.MaxSeqLength, dropoutProb: 0.3);
    }

    private static Dictionary<string, float[]> Weights(MeanPoolModel model) =>
        model.state_dict().ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());

    private static (TrainingResult Result, Dictionary<string, float[]> Weights) Uninterrupted(TrainingHarness harness)
    {
        using var model = NewModel(Seed);
        var result = new Trainer(model, Config, TrainingHarness.Evaluator()).Fit(TrainingHarness.Data(Data, 8, Seed), harness.Outputs("uninterrupted"));
        return (result, Weights(model));
    }

    private static void AssertSameRun(TrainingResult expected, TrainingResult actual)
    {
        Assert.Equal(expected.History.Select(e => e.Loss), actual.History.Select(e => e.Loss));
        Assert.Equal(expected.History.Select(e => e.ValidMetrics!.ToArray()), actual.History.Select(e => e.ValidMetrics!.ToArray()));
        Assert.Equal(expected.BestEpoch, actual.BestEpoch);
        Assert.Equal(expected.BestValid.ToArray(), actual.BestValid.ToArray());
        Assert.Equal(expected.Test.ToArray(), actual.Test.ToArray());
    }

    [Fact]
    public void A_run_interrupted_mid_epoch_resumes_to_exactly_the_uninterrupted_result()
    {
        using var harness = new TrainingHarness();
        var (expected, expectedWeights) = Uninterrupted(harness);
        Assert.NotEqual(expected.History[0].Loss, expected.History[^1].Loss);

        // Interrupt in the middle of epoch 3: the model has taken steps that the resume state does not hold.
        using (var model = NewModel(Seed))
        using (var cancel = new CancellationTokenSource())
        {
            var observer = new RecordingObserver { OnBatch = p => { if (p.Epoch == 3 && p.Batch == 1) cancel.Cancel(); } };
            var trainer = new Trainer(model, Config, TrainingHarness.Evaluator(), observer);
            Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(TrainingHarness.Data(Data, 8, Seed), harness.Outputs("interrupted"), cancellation: cancel.Token));
        }

        // A kill during an atomic write leaves a temporary file beside the intact previous state.
        var resumePath = harness.Outputs("interrupted").ResumeStatePath!;
        File.WriteAllBytes(resumePath + AtomicFile.TempMarker + "killed", [1, 2, 3]);

        // A fresh process would seed and build the model anew; a different seed proves every state is restored.
        using var resumedModel = NewModel(Seed + 1);
        var resumedObserver = new RecordingObserver();
        var resumed = new Trainer(resumedModel, Config, TrainingHarness.Evaluator(), resumedObserver)
            .Fit(TrainingHarness.Data(Data, 8, Seed), harness.Outputs("interrupted"), resume: true);

        Assert.Equal([3, 4, 5], resumedObserver.Epochs.Select(e => e.Epoch));
        AssertSameRun(expected, resumed);
        var weights = Weights(resumedModel);
        foreach (var (name, values) in expectedWeights) Assert.Equal(values, weights[name]);
    }

    [Fact]
    public void Resuming_a_finished_run_only_repeats_the_test()
    {
        using var harness = new TrainingHarness();
        var (expected, _) = Uninterrupted(harness);

        using var model = NewModel(Seed + 2);
        var observer = new RecordingObserver();
        var resumed = new Trainer(model, Config, TrainingHarness.Evaluator(), observer)
            .Fit(TrainingHarness.Data(Data, 8, Seed), harness.Outputs("uninterrupted"), resume: true);

        Assert.Empty(observer.Epochs);
        AssertSameRun(expected, resumed);
    }

    [Fact]
    public void Resuming_without_a_resume_state_is_a_clear_error()
    {
        using var harness = new TrainingHarness();
        using var model = NewModel(Seed);
        var error = Assert.Throws<SeqRecException>(() =>
            new Trainer(model, Config, TrainingHarness.Evaluator()).Fit(TrainingHarness.Data(Data, 8, Seed), harness.Outputs("missing"), resume: true));
        Assert.Contains("resume.state", error.Message);
    }

    [Fact]
    public void A_resume_state_of_another_model_shape_is_a_clear_error()
    {
        using var harness = new TrainingHarness();
        Uninterrupted(harness);
        manual_seed(Seed);
        using var wider = new MeanPoolModel(Data.NItems, Data.MaxSeqLength, hiddenSize: 16);

        var error = Assert.Throws<SeqRecException>(() =>
            new Trainer(wider, Config, TrainingHarness.Evaluator()).Fit(TrainingHarness.Data(Data, 8, Seed), harness.Outputs("uninterrupted"), resume: true));
        Assert.Contains("resume state", error.Message);
    }

    [Fact]
    public void A_damaged_resume_state_is_reported_as_corrupt_instead_of_restored()
    {
        using var harness = new TrainingHarness();
        using (var model = NewModel(Seed))
        {
            var shortRun = Config with { Epochs = 2 };
            new Trainer(model, shortRun, TrainingHarness.Evaluator()).Fit(TrainingHarness.Data(Data, 8, Seed), harness.Outputs("damaged"));
        }
        var path = harness.Outputs("damaged").ResumeStatePath!;
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        using var resumed = NewModel(Seed);
        var error = Assert.Throws<SeqRecException>(() =>
            new Trainer(resumed, Config, TrainingHarness.Evaluator()).Fit(TrainingHarness.Data(Data, 8, Seed), harness.Outputs("damaged"), resume: true));
        Assert.Contains("the resume state is corrupt: its SHA-256 does not match", error.Message, StringComparison.Ordinal);
    }
}
