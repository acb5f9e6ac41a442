using System.Globalization;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Evaluation;
using SeqRec.Modeling;
using SeqRec.Training;
using TorchSharp;

namespace SeqRec.Runs;

/// <summary>
/// A resolved configuration made concrete: the prepared dataset and a freshly initialised model, seeded from
/// <c>trainer.seed</c>. Every entry point (run, resume, tune trials, benchmarks, evaluate) builds one the same way.
/// </summary>
public sealed class Experiment : IDisposable
{
    private Experiment(ResolvedConfig config, SequentialDataset dataset, SequentialRecommender model)
    {
        Config = config;
        Dataset = dataset;
        Model = model;
    }

    public ResolvedConfig Config { get; }
    public SequentialDataset Dataset { get; }
    public SequentialRecommender Model { get; }

    /// <summary>Loads the dataset (downloading ml-100k if it is missing) and builds the model after seeding torch.</summary>
    public static Experiment Prepare(ResolvedConfig config, TextWriter? progress = null) =>
        Prepare(config, DatasetProvider.Load(config.Data, progress));

    /// <summary>Builds the model for an already loaded dataset (it must come from the same data settings).</summary>
    public static Experiment Prepare(ResolvedConfig config, SequentialDataset dataset)
    {
        if (config.Trainer.Threads > 0) torch.set_num_threads(config.Trainer.Threads);
        torch.manual_seed(config.Trainer.Seed);
        var context = new ModelContext(dataset.NItems, dataset.MaxSeqLength, dataset.NUsers);
        var model = config.Model.Create(config.ModelConfig, context);
        model.UseKernels(config.Trainer.Kernels);
        if (config.Trainer.RecomputeActivations) model.UseActivationRecomputation();
        return new Experiment(config, dataset, model);
    }

    public string ConfigToml => TomlConfigWriter.Write(Config);

    public Evaluator CreateEvaluator() =>
        new(Config.Eval, Config.Trainer.Seed, popularity: new ItemPopularity(Dataset.NItems, Dataset.Train.Targets));

    /// <summary>The batches of an evaluation set, carrying what the model needs, <c>eval_batch_size</c> at a time.</summary>
    public IEnumerable<Batch> EvaluationBatches(SampleSet set, int? batchSize = null) =>
        EvalBatches.Enumerate(set, batchSize ?? Config.Eval.EvalBatchSize, Model.Needs, Config.Trainer.Seed);

    public TrainingData CreateTrainingData()
    {
        var sampler = new TrainBatchSampler(Dataset.Train, Config.Trainer.TrainBatchSize, Config.Trainer.Seed, Dataset.NItems);
        var needs = Model.Needs;
        return new TrainingData(Dataset.Train, epoch => sampler.Epoch(epoch, needs), Dataset.Valid, Dataset.Test,
            set => EvaluationBatches(set));
    }

    public RunSetup CreateRunSetup() =>
        new(Config.Model.Id, Dataset.Name, ConfigToml, Model, Config.Trainer, CreateEvaluator(), CreateTrainingData())
        {
            Summary = Summary(),
            DataFingerprint = DataFingerprint(),
        };

    /// <summary>SHA-256 over the train, valid and test samples (users, histories, targets), as hex.</summary>
    public string DataFingerprint()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var split in new[] { Dataset.Train, Dataset.Valid, Dataset.Test }) split.AppendTo(hash);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The dataset's size and splits and the model's size, one line each.</summary>
    public IReadOnlyList<string> Summary()
    {
        var (users, items) = (Dataset.NUsers - 1, Dataset.NItems - 1);
        var density = users > 0 && items > 0 ? (double)Dataset.InteractionCount / ((double)users * items) : 0;
        var parameters = Model.TrainableParameterCount;
        return
        [
            string.Create(CultureInfo.InvariantCulture,
                $"dataset {Dataset.Name}: {users:N0} users, {items:N0} items, {Dataset.InteractionCount:N0} interactions (sparsity {100 * (1 - density):F2}%); samples: train {Dataset.Train.Count:N0}, valid {Dataset.Valid.Count:N0}, test {Dataset.Test.Count:N0}; max_item_list_length {Dataset.MaxSeqLength}"),
            string.Create(CultureInfo.InvariantCulture, $"model {Config.Model.DisplayName}: {parameters:N0} trainable parameters ({parameters * 4 / 1e6:F1} MB as float32)"),
        ];
    }

    public void Dispose() => Model.Dispose();
}
