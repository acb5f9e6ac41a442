using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Evaluation;
using SeqRec.Modeling;
using SeqRec.Models;
using SeqRec.Runs;
using static TorchSharp.torch;

namespace SeqRec;

/// <summary>
/// A saved model brought back with its data, like RecBole's <c>load_data_and_model</c>: the checkpoint's stored
/// configuration rebuilds the dataset and the model, the weights are loaded, and the model is in eval mode.
/// <code>
/// using var saved = SavedModel.Load("runs/lightsans-ml-100k-…/best.ckpt");
/// var top = saved.TopKForUser("196", k: 10);            // raw ids and scores, history excluded
/// var scores = saved.Scores("196", ["242", "302"]);       // scores of given items
/// var metrics = saved.Evaluate();                         // the test split's metrics
/// </code>
/// Ids are the dataset's raw tokens. A checkpoint of a plugin's model needs that plugin in the registry given to <see cref="Load"/>.
/// </summary>
public sealed class SavedModel : IDisposable
{
    private readonly Experiment _experiment;

    private SavedModel(Experiment experiment, CheckpointHeader header)
    {
        _experiment = experiment;
        Header = header;
    }

    /// <summary>The checkpoint's header: model id, dataset, configuration, epoch, valid metrics, model assembly.</summary>
    public CheckpointHeader Header { get; }

    public SequentialRecommender Model => _experiment.Model;
    public SequentialDataset Dataset => _experiment.Dataset;
    public ResolvedConfig Config => _experiment.Config;

    /// <param name="checkpoint">A checkpoint written by <c>seqrec run</c> or <c>seqrec import</c>.</param>
    /// <param name="models">The models to look the checkpoint's model up in; default SeqRec's own.</param>
    /// <param name="overrides">Settings applied over the stored configuration (<c>section.key=value</c>), e.g. the data path.</param>
    /// <param name="progress">Where dataset download messages go.</param>
    public static SavedModel Load(string checkpoint, ModelRegistry? models = null, IReadOnlyList<string>? overrides = null, TextWriter? progress = null)
    {
        models ??= SeqRecModels.Registry();
        var header = ModelCheckpoint.ReadHeader(checkpoint);
        if (models.Find(header.Info.Model) is null)
            throw new SeqRecException($"{checkpoint}: its model '{header.Info.Model}' is not registered here" +
                (header.Info.ModelAssembly is { } assembly ? $"; it comes from {assembly}: load that assembly with --plugin (or SEQREC_PLUGINS)" : ""));
        CheckpointSizeCheck.Check(checkpoint, header.Info);
        var request = new ConfigRequest
        {
            Texts = [new ConfigText($"{checkpoint} (stored config)", header.Info.ConfigToml)],
            Sets = overrides ?? [],
        };
        var config = ConfigResolver.Resolve(request, models);
        // The stored config records the data folder of the machine that trained; where that folder does not hold the
        // dataset here, SEQREC_DATA_PATH (when set) is where to look, as for a run left at the default folder.
        if (!File.Exists(DatasetLocation.AtomicFile(config.Data, "inter"))
            && Environment.GetEnvironmentVariable(DatasetLocation.DataPathVariable) is { Length: > 0 } here
            && !(overrides ?? []).Any(o => o.StartsWith("data.data_path", StringComparison.Ordinal)))
            config = ConfigResolver.Resolve(request with { DataPath = here }, models);
        var experiment = Experiment.Prepare(config, progress);
        try
        {
            ModelCheckpoint.LoadWeights(checkpoint, experiment.Model);
        }
        catch
        {
            experiment.Dispose();
            throw;
        }
        experiment.Model.eval();
        return new SavedModel(experiment, header);
    }

    /// <summary>The top <paramref name="k"/> items for a user of the dataset, from the user's latest history; with <paramref name="excludeHistory"/> none of the user's items, however long ago.</summary>
    public Recommendation[] TopKForUser(string user, int k = 10, bool excludeHistory = true) => TopKForUsers([user], k, excludeHistory)[0];

    /// <summary>The top <paramref name="k"/> items for each user, best first, as raw item ids.</summary>
    public Recommendation[][] TopKForUsers(IReadOnlyList<string> users, int k = 10, bool excludeHistory = true)
    {
        var ids = users.Select(UserId).ToList();
        var rows = ids.Select(id => (id, (IReadOnlyList<int>)Dataset.LatestHistory(id).ToArray())).ToList();
        return TopK(rows, k, excludeHistory, [.. ids.Select(id => (IReadOnlyList<int>)Dataset.FullHistory(id).ToArray())]);
    }

    /// <summary>The top <paramref name="k"/> items after a sequence of raw item ids (oldest first), for no particular user.</summary>
    public Recommendation[] TopKForSequence(IReadOnlyList<string> items, int k = 10, bool excludeHistory = true)
    {
        var ids = ItemIds(items);
        return TopK([(0, ids)], k, excludeHistory, [ids])[0];
    }

    /// <summary>The model's scores of <paramref name="items"/> for <paramref name="user"/>, in the order given.</summary>
    public float[] Scores(string user, IReadOnlyList<string> items)
    {
        var id = UserId(user);
        var candidates = ItemIds(items);
        using var batch = BatchOf([(id, Dataset.LatestHistory(id).ToArray())]);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var itemTensor = tensor(candidates.Select(i => (long)i).ToArray(), [1, candidates.Count]);
        return Model.Predict(batch, itemTensor).to_type(ScalarType.Float32).data<float>().ToArray();
    }

    /// <summary>The configured metrics on the <c>test</c> or <c>valid</c> split.</summary>
    public MetricValues Evaluate(string split = "test")
    {
        var samples = split switch
        {
            "test" => Dataset.Test,
            "valid" => Dataset.Valid,
            _ => throw new SeqRecException($"split: '{split}' is not test or valid"),
        };
        return _experiment.CreateEvaluator().Evaluate(Model, samples, _experiment.EvaluationBatches(samples));
    }

    /// <summary>Evaluation batches of a split with what the model needs (user ids, its evaluation transform).</summary>
    public IEnumerable<Batch> EvaluationBatches(SampleSet samples, int? batchSize = null) => _experiment.EvaluationBatches(samples, batchSize);

    /// <summary>The item ids of raw item tokens; unknown items are an error naming them.</summary>
    public IReadOnlyList<int> ItemIds(IReadOnlyList<string> items)
    {
        var unknown = items.Where(t => !Dataset.Items.TryGetId(t, out var id) || id == 0).Distinct().ToList();
        if (unknown.Count > 0)
            throw new SeqRecException($"item{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))} not in dataset {Dataset.Name}; the model cannot score unseen items");
        return [.. items.Select(t => { Dataset.Items.TryGetId(t, out var id); return id; })];
    }

    /// <summary>The id of a raw user token; an unknown user is an error.</summary>
    public int UserId(string user) =>
        Dataset.Users.TryGetId(user, out var id) && id != 0
            ? id
            : throw new SeqRecException($"user '{user}' is not in dataset {Dataset.Name} ({Dataset.NUsers - 1:N0} users)");

    /// <param name="excluded">Per row, every item never to recommend under <paramref name="excludeHistory"/>: the whole history, not only the part the model reads.</param>
    private Recommendation[][] TopK(IReadOnlyList<(int User, IReadOnlyList<int> History)> rows, int k, bool excludeHistory, IReadOnlyList<IReadOnlyList<int>> excluded)
    {
        using var batch = BatchOf(rows);
        var top = TopItems.For(Model, batch, k, excludeHistory, excluded);
        return [.. top.Select(row => row.Select(s => new Recommendation(Dataset.Items.Token(s.Item), s.Item, s.Score)).ToArray())];
    }

    /// <summary>One evaluation-style batch: right-padded histories cut to the model's length, users, no target.</summary>
    private Batch BatchOf(IReadOnlyList<(int User, IReadOnlyList<int> History)> rows)
    {
        var width = Dataset.MaxSeqLength;
        var seq = new long[rows.Count * width];
        var lengths = new long[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var history = rows[r].History;
            var start = Math.Max(0, history.Count - width);
            for (var t = start; t < history.Count; t++) seq[r * width + t - start] = history[t];
            lengths[r] = history.Count - start;
            if (lengths[r] == 0) throw new SeqRecException($"user {Dataset.Users.Token(rows[r].User)} has no history to recommend from");
        }
        var batch = new Batch(tensor(seq, [rows.Count, width]), tensor(lengths), zeros(rows.Count, dtype: ScalarType.Int64),
            [.. Enumerable.Range(0, rows.Count)], userIds: tensor(rows.Select(r => (long)r.User).ToArray()));
        Model.Needs.EvaluationTransform?.Apply(batch, new BatchOrigin(Config.Trainer.Seed, -1, 0));
        return batch;
    }

    public void Dispose() => _experiment.Dispose();
}

/// <summary>A recommended item: its raw id in the dataset, its id in the model's vocabulary, and its score.</summary>
public readonly record struct Recommendation(string Item, int ItemId, float Score);
