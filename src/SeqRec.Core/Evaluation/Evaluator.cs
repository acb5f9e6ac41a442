using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Evaluation;

/// <summary>
/// Evaluates a <see cref="SequentialRecommender"/> on a sample set by full ranking (every item, padding masked) or
/// <c>uniN</c> sampled ranking, and reports the configured metrics at every K. Works one batch at a time: a batch's
/// scores are the only large tensor alive.
/// </summary>
public sealed class Evaluator
{
    private readonly RankingMetric[] _metrics;
    private readonly int[] _topk;
    private readonly bool _maskHistory;
    private readonly int? _sampledNegatives;
    private readonly long _seed;
    private readonly Func<Batch, SampleSet, Tensor>? _negativeSource;

    /// <param name="config">Metrics, cut-offs, mode and masking.</param>
    /// <param name="seed">Seed of the default <c>uniN</c> negative sampler.</param>
    /// <param name="negativeSource">Overrides the default <c>uniN</c> negatives: returns [B, N] int64 item ids for a batch.</param>
    public Evaluator(EvalConfig config, long seed, Func<Batch, SampleSet, Tensor>? negativeSource = null)
    {
        _metrics = [.. config.Metrics.Select(RankingMetrics.Parse)];
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
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            foreach (var batch in batches)
            {
                using (batch)
                using (NoCollectionScope.Begin())
                    accumulator.AddRange(Rank(model, samples, batch));
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        if (accumulator.Count != samples.Count)
            throw new InvalidOperationException($"the evaluation batches held {accumulator.Count} samples; the set has {samples.Count}");
        return accumulator.Result();
    }

    /// <summary>The 1-based rank of each target of <paramref name="batch"/> (see <see cref="TargetRanks"/> for ties).</summary>
    public int[] Rank(SequentialRecommender model, SampleSet samples, Batch batch)
    {
        using var scope = NewDisposeScope();
        var history = _maskHistory ? batch.ItemSeq : null;
        if (_sampledNegatives is not { } n)
            return TargetRanks.FromFullScores(model.FullSortScores(batch), batch.PosItems, history);

        var negatives = _negativeSource?.Invoke(batch, samples)
            ?? new UniformEvalNegatives(model.Context.NItems, n, _seed, _maskHistory).Sample(samples, batch.SampleIndices);
        if (negatives.dim() != 2 || negatives.shape[0] != batch.Size)
            throw new InvalidOperationException($"negatives must be [{batch.Size}, N]; got [{string.Join(", ", negatives.shape)}]");
        var candidates = cat([batch.PosItems.unsqueeze(1), negatives.to_type(ScalarType.Int64)], 1);
        return TargetRanks.FromSampledScores(model.Predict(batch, candidates), candidates, history);
    }

    private static string ValidMetricKeyOf(EvalConfig config)
    {
        if (EvalConfig.ParseValidMetric(config.ValidMetric) is not var (name, k))
            throw new SeqRecException($"eval.valid_metric: '{config.ValidMetric}' is not of the form Metric@K, e.g. MRR@10");
        return RankingMetrics.Key(RankingMetrics.Parse(name), k);
    }
}
