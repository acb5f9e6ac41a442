using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Evaluation;

/// <summary>
/// Evaluates a <see cref="SequentialRecommender"/> on a sample set by full ranking (every item, padding masked) or
/// <c>uniN</c> sampled ranking, and reports the configured metrics at every K, in the configured order. Accuracy
/// metrics (<see cref="RankingMetric"/>) come from each target's rank, list metrics (<see cref="ListMetric"/>) from
/// each sample's top-K list. Works one batch at a time: a batch's scores are the only large tensor alive.
/// </summary>
public sealed class Evaluator
{
    private readonly string[] _metricNames;
    private readonly RankingMetric[] _metrics;
    private readonly ListMetric[] _listMetrics;
    private readonly bool _gauc;
    private readonly ItemPopularity? _popularity;
    private readonly double _tailRatio;
    private readonly int[] _topk;
    private readonly bool _maskHistory;
    private readonly int? _sampledNegatives;
    private readonly long _seed;
    private readonly Func<Batch, SampleSet, Tensor>? _negativeSource;

    /// <param name="config">Metrics, cut-offs, mode and masking.</param>
    /// <param name="seed">Seed of the default <c>uniN</c> negative sampler.</param>
    /// <param name="negativeSource">Overrides the default <c>uniN</c> negatives: returns [B, N] int64 item ids for a batch.</param>
    /// <param name="popularity">The training set's item counts; required when a list metric is configured.</param>
    public Evaluator(EvalConfig config, long seed, Func<Batch, SampleSet, Tensor>? negativeSource = null, ItemPopularity? popularity = null)
    {
        _metricNames = [.. config.Metrics];
        _metrics = [.. config.Metrics.Where(name => ListMetrics.TryParse(name) is null && !IsGauc(name)).Select(RankingMetrics.Parse)];
        _gauc = config.Metrics.Any(IsGauc);
        _listMetrics = [.. config.Metrics.Select(ListMetrics.TryParse).OfType<ListMetric>()];
        if (_listMetrics.Length > 0 && popularity is null)
            throw new ArgumentException($"the list metrics ({string.Join(", ", _listMetrics)}) need the training set's item counts", nameof(popularity));
        _popularity = popularity;
        _tailRatio = config.TailRatio;
        _topk = [.. config.Topk];
        _maskHistory = config.MaskHistory;
        _sampledNegatives = config.SampledNegatives;
        _seed = seed;
        _negativeSource = negativeSource;
        ValidMetricKey = ValidMetricKeyOf(config);
    }

    /// <summary>The lower-case key of the early-stopping metric, e.g. <c>mrr@10</c>.</summary>
    public string ValidMetricKey { get; }

    /// <summary>
    /// Evaluates <paramref name="model"/> on <paramref name="samples"/>, reading the samples from
    /// <paramref name="batches"/> (each disposed after use). The model is in eval mode meanwhile and gets its mode back.
    /// </summary>
    public MetricValues Evaluate(SequentialRecommender model, SampleSet samples, IEnumerable<Batch> batches)
    {
        var accumulator = new MetricAccumulator(_metrics, _topk);
        var lists = _listMetrics.Length > 0 ? new RecommendationListAccumulator(_topk, _popularity!, _tailRatio) : null;
        var gauc = _gauc ? new GaucAccumulator() : null;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            foreach (var batch in batches)
            {
                using (batch)
                using (NoCollectionScope.Begin())
                    Add(model, samples, batch, accumulator, lists, gauc);
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        if (accumulator.Count != samples.Count)
            throw new InvalidOperationException($"the evaluation batches held {accumulator.Count} samples; the set has {samples.Count}");
        return Result(accumulator, lists, gauc);
    }

    /// <summary>The 1-based rank of each target of <paramref name="batch"/> (see <see cref="TargetRanks"/> for ties).</summary>
    public int[] Rank(SequentialRecommender model, SampleSet samples, Batch batch)
    {
        var ranks = new MetricAccumulator([], _topk);
        return Add(model, samples, batch, ranks, lists: null, gauc: null);
    }

    private int[] Add(SequentialRecommender model, SampleSet samples, Batch batch, MetricAccumulator ranks, RecommendationListAccumulator? lists, GaucAccumulator? gauc)
    {
        using var scope = NewDisposeScope();
        var history = _maskHistory ? batch.ItemSeq : null;
        int[] batchRanks;
        int[]? topLists = null;
        if (_sampledNegatives is not { } n)
        {
            var scores = model.FullSortScores(batch);
            batchRanks = TargetRanks.FromFullScores(scores, batch.PosItems, history);
            if (lists is not null) topLists = TopKLists.FromFullScores(scores, batch.PosItems, history, lists.MaxK);
            if (gauc is not null) foreach (var tied in TiedRanks.FromFullScores(scores, batch.PosItems, history)) gauc.Add(tied);
        }
        else
        {
            var negatives = _negativeSource?.Invoke(batch, samples)
                ?? new UniformEvalNegatives(model.Context.NItems, n, _seed, _maskHistory).Sample(samples, batch.SampleIndices);
            if (negatives.dim() != 2 || negatives.shape[0] != batch.Size)
                throw new InvalidOperationException($"negatives must be [{batch.Size}, N]; got [{string.Join(", ", negatives.shape)}]");
            var candidates = cat([batch.PosItems.unsqueeze(1), negatives.to_type(ScalarType.Int64)], 1);
            var scores = model.Predict(batch, candidates);
            batchRanks = TargetRanks.FromSampledScores(scores, candidates, history);
            if (lists is not null) topLists = TopKLists.FromSampledScores(scores, candidates, history, lists.MaxK);
            if (gauc is not null) foreach (var tied in TiedRanks.FromSampledScores(scores, candidates, history)) gauc.Add(tied);
        }
        ranks.AddRange(batchRanks);
        if (lists is not null)
        {
            for (var row = 0; row < batchRanks.Length; row++)
                lists.Add(topLists.AsSpan(row * lists.MaxK, lists.MaxK));
        }
        return batchRanks;
    }

    /// <summary>Every configured metric at every K, in the configured order, as RecBole reports them.</summary>
    private MetricValues Result(MetricAccumulator ranks, RecommendationListAccumulator? lists, GaucAccumulator? gauc)
    {
        var accuracy = ranks.Result();
        return new MetricValues(_metricNames.SelectMany(name => IsGauc(name)
            ? [KeyValuePair.Create("gauc", gauc!.Result())]   // one value, not one per K, as RecBole reports it
            : _topk.Select(k => ListMetrics.TryParse(name) is { } listMetric
                ? KeyValuePair.Create(ListMetrics.Key(listMetric, k), lists!.Value(listMetric, k))
                : KeyValuePair.Create(RankingMetrics.Key(RankingMetrics.Parse(name), k), accuracy[RankingMetrics.Key(RankingMetrics.Parse(name), k)]))));
    }

    private static bool IsGauc(string name) => name.Equals("GAUC", StringComparison.OrdinalIgnoreCase);

    private static string ValidMetricKeyOf(EvalConfig config)
    {
        if (EvalConfig.ParseValidMetric(config.ValidMetric) is not var (name, k))
            throw new SeqRecException($"eval.valid_metric: '{config.ValidMetric}' is not of the form Metric@K, e.g. MRR@10");
        return RankingMetrics.Key(RankingMetrics.Parse(name), k);
    }
}
