using System.Text.RegularExpressions;

namespace SeqRec.Configuration;

/// <summary>The <c>[eval]</c> section. Defaults follow RecBole.</summary>
[ConfigSection("eval")]
public sealed partial record EvalConfig
{
    /// <summary>Metric names RecBole users write; matched case-insensitively.</summary>
    public static IReadOnlyList<string> KnownMetrics { get; } =
        ["Recall", "MRR", "NDCG", "Hit", "Precision", "MAP", "GAUC", "ItemCoverage", "AveragePopularity", "GiniIndex", "ShannonEntropy", "TailPercentage"];

    /// <summary>RecBole metrics SeqRec does not compute, with why.</summary>
    private static readonly Dictionary<string, string> UnsupportedMetrics = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AUC"] = "it is one of RecBole's value-based metrics, for labelled evaluation (eval_args.mode: labeled), which next-item ranking does not have; GAUC, its ranking counterpart, is computed",
        ["LogLoss"] = "it is one of RecBole's value-based metrics, for labelled evaluation (eval_args.mode: labeled), which next-item ranking does not have",
        ["MAE"] = "it is one of RecBole's value-based metrics, for rating prediction, which next-item ranking does not have",
        ["RMSE"] = "it is one of RecBole's value-based metrics, for rating prediction, which next-item ranking does not have",
    };

    /// <summary>The metrics of each target's rank, which can pick the best epoch (larger is better for each).</summary>
    public static IReadOnlyList<string> AccuracyMetrics { get; } = ["Recall", "MRR", "NDCG", "Hit", "Precision", "MAP"];

    [Param(Help = "Metrics computed at every K of topk, with RecBole's definitions. Accuracy: Recall, MRR, NDCG, Hit, Precision, MAP (with one target per sample MAP equals MRR), and GAUC (one value, not per K). Of the recommended lists: ItemCoverage, AveragePopularity (mean training count), GiniIndex, ShannonEntropy, TailPercentage (share of long-tail items, see tail_ratio).")]
    public string[] Metrics { get; init; } = ["Recall", "MRR", "NDCG", "Hit", "Precision"];

    [Param(Help = "Cut-offs K of the top-K metrics.")]
    public int[] Topk { get; init; } = [10];

    [Param(Help = "Metric that picks the best epoch and drives early stopping, e.g. MRR@10.")]
    public string ValidMetric { get; init; } = "MRR@10";

    [Param(Min = 1, Help = "Evaluation samples per batch.")]
    public int EvalBatchSize { get; init; } = 4096;

    [Param(Help = "full (rank every item) or uniN (rank the target among N uniform negatives, e.g. uni100).")]
    public string Mode { get; init; } = "full";

    [Param(Help = "Also mask items already in the user's history (off in RecBole for sequential models).")]
    public bool MaskHistory { get; init; }

    [Param(Help = "Long-tail items of TailPercentage: above 1, the items that are a training target at most this many times; in (0, 1], this share of the training targets' items, least frequent first (RecBole's tail_ratio).")]
    public double TailRatio { get; init; } = 0.1;

    partial void OnValidate(ConfigErrors errors)
    {
        foreach (var metric in Metrics)
        {
            if (UnsupportedMetrics.TryGetValue(metric, out var why))
                errors.Error("metrics", $"'{metric}' is not supported: {why}");
            else if (!KnownMetrics.Contains(metric, StringComparer.OrdinalIgnoreCase))
                errors.Error("metrics", ConfigReader.UnknownMessage("metric '" + metric + "'", metric, KnownMetrics) + $" (known: {string.Join(", ", KnownMetrics)})");
        }
        foreach (var twice in Metrics.GroupBy(m => m, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Error("metrics", $"'{twice.Key}' is listed {twice.Count()} times");
        if (!(TailRatio > 0))
            errors.Error("tail_ratio", $"{TailRatio} is not above 0: give a share in (0, 1] or a training count above 1");
        foreach (var cutoff in Topk)
        {
            if (cutoff < 1) errors.Error("topk", $"{cutoff} is below the minimum 1");
        }
        if (ParseValidMetric(ValidMetric) is not var (name, k))
            errors.Error("valid_metric", $"'{ValidMetric}' is not of the form Metric@K, e.g. MRR@10");
        else if (!Metrics.Contains(name, StringComparer.OrdinalIgnoreCase))
            errors.Error("valid_metric", $"'{name}' is not among the computed metrics ({string.Join(", ", Metrics)})");
        else if (name.Equals("GAUC", StringComparison.OrdinalIgnoreCase))
            errors.Error("valid_metric", $"GAUC has no cut-off K; pick the best epoch by one of {string.Join(", ", AccuracyMetrics)} at a K of topk");
        else if (!AccuracyMetrics.Contains(name, StringComparer.OrdinalIgnoreCase))
            errors.Error("valid_metric", $"'{name}' describes the recommended lists, not their accuracy; pick the best epoch by one of {string.Join(", ", AccuracyMetrics)}");
        else if (!Topk.Contains(k))
            errors.Error("valid_metric", $"K={k} is not in topk ({string.Join(", ", Topk)})");
        if (!Regex.IsMatch(Mode, "^(full|uni[1-9][0-9]*)$", RegexOptions.IgnoreCase))
            errors.Error("mode", $"'{Mode}' is not 'full' or 'uniN' (e.g. uni100)");
    }

    /// <summary>Splits "MRR@10" into ("MRR", 10); null when malformed.</summary>
    public static (string Name, int K)? ParseValidMetric(string text)
    {
        var at = text.IndexOf('@');
        if (at <= 0 || !int.TryParse(text.AsSpan(at + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) || k < 1)
            return null;
        return (text[..at], k);
    }

    /// <summary>N of a uniN mode, or null for full ranking.</summary>
    public int? SampledNegatives => Mode.StartsWith("uni", StringComparison.OrdinalIgnoreCase) && int.TryParse(Mode.AsSpan(3), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
}
