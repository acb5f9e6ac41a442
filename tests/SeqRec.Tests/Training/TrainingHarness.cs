using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Evaluation;
using SeqRec.Runs;
using SeqRec.Training;

namespace SeqRec.Tests.Training;

/// <summary>Wires synthetic data, a temporary run folder and the trainer together for tests.</summary>
internal sealed class TrainingHarness : IDisposable
{
    public TrainingHarness()
    {
        Directory = Path.Combine(Path.GetTempPath(), "seqrec-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public TrainingOutputs Outputs(string name = "run") => new(
        Path.Combine(Directory, name, "best.ckpt"),
        Path.Combine(Directory, name, "resume.state"),
        new CheckpointInfo("meanpool", "synthetic", "[trainer]\nepochs = 3\n"));

    public static TrainingData Data(SyntheticData data, int batchSize, long seed, bool withValid = true, bool withTest = true) => new(
        data.Train,
        epoch => data.TrainBatches(epoch, batchSize, seed),
        withValid ? data.Valid : null,
        withTest ? data.Test : null,
        samples => SyntheticData.EvalBatches(samples, 16));

    /// <summary>Samples that all target <see cref="ScriptedModel.Target"/>, for the scripted model.</summary>
    public static TrainingData ScriptedData(int trainSamples = 6, int batchSize = 2)
    {
        SampleSet Set(int count) => SyntheticData.Samples(4, [.. Enumerable.Range(0, count).Select(i => (new[] { 1 + i % 5 }, ScriptedModel.Target))]);
        var train = Set(trainSamples);
        return new TrainingData(
            train,
            _ => SyntheticData.EvalBatches(train, batchSize),
            Set(3),
            Set(2),
            samples => SyntheticData.EvalBatches(samples, 2));
    }

    public static Evaluator Evaluator(long seed = 2020) =>
        new(new EvalConfig { Metrics = ["MRR", "Hit"], Topk = [10], ValidMetric = "MRR@10" }, seed);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder must not fail a test.
        }
    }
}
