using System.Collections;
using System.Text.Json;
using SeqRec.Configuration;
using SeqRec.Data;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SeqRec.Tests.Data;

/// <summary>
/// The reference SASRec weights (../shared/reference/e2e) give the reference metrics only on exactly the reference's
/// valid and test samples. A minimal eval-mode SASRec forward lives here, independent of the model code, so that this
/// pins the data side: id mapping, time order (float32 of normalized timestamps), truncation and split.
/// </summary>
public sealed class ReferenceMetricsTests(ITestOutputHelper output)
{
    private static readonly string E2eFolder = Path.Combine(SharedData.ReferenceFolder(), "e2e");

    [Fact]
    public void The_prepared_ml_100k_splits_give_the_reference_metrics_with_the_reference_weights()
    {
        var weights = LoadWeights();
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(E2eFolder, "expected.json"))).RootElement;
        var dataset = SequentialDatasetLoader.Load(new DataConfig { Dataset = "ml-100k" }, SharedData.DatasetsFolder());

        foreach (var (split, set) in new[] { ("best_valid", dataset.Valid), ("test", dataset.Test) })
        {
            var metrics = Metrics(Ranks(weights, set));
            output.WriteLine($"{split}: {string.Join(", ", metrics.Select(m => $"{m.Key} {m.Value}"))}");
            foreach (var (key, value) in metrics) Assert.Equal(expected.GetProperty(split).GetProperty(key).GetDouble(), value);
        }
    }

    private static Dictionary<string, Tensor> LoadWeights()
    {
        var weights = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(Path.Combine(E2eFolder, "state_dict.pth")))
            weights[(string)entry.Key] = (Tensor)entry.Value!;
        return weights;
    }

    /// <summary>1-based rank of each sample's target among all items, padding excluded.</summary>
    private static List<long> Ranks(Dictionary<string, Tensor> weights, SampleSet set)
    {
        var ranks = new List<long>();
        using var noGrad = no_grad();
        foreach (var batch in EvalBatches.Enumerate(set, 4096))
        {
            using var scope = NewDisposeScope();
            using (batch)
            {
                var scores = SasRecScores(weights, batch.ItemSeq, batch.ItemSeqLen);
                scores[.., 0] = float.NegativeInfinity;
                var target = scores.gather(1, batch.PosItems.unsqueeze(1));
                ranks.AddRange(((scores > target).sum(1) + 1).data<long>().ToArray());
            }
        }
        return ranks;
    }

    private static Dictionary<string, double> Metrics(List<long> ranks)
    {
        var metrics = new Dictionary<string, double>();
        foreach (var k in new[] { 5, 10, 20 })
        {
            var hit = ranks.Average(r => r <= k ? 1.0 : 0.0);
            metrics[$"hit@{k}"] = Math.Round(hit, 4);
            metrics[$"recall@{k}"] = Math.Round(hit, 4);
            metrics[$"precision@{k}"] = Math.Round(hit / k, 4);
            metrics[$"mrr@{k}"] = Math.Round(ranks.Average(r => r <= k ? 1.0 / r : 0.0), 4);
            metrics[$"ndcg@{k}"] = Math.Round(ranks.Average(r => r <= k ? 1.0 / Math.Log2(r + 1) : 0.0), 4);
        }
        return metrics;
    }

    /// <summary>RecBole's SASRec in eval mode (2 layers, 2 heads, gelu, post-LN, causal and padding mask of -10000).</summary>
    private static Tensor SasRecScores(Dictionary<string, Tensor> weights, Tensor itemSeq, Tensor lengths)
    {
        const int heads = 2;
        const double eps = 1e-12;
        var (batch, length) = (itemSeq.shape[0], itemSeq.shape[1]);
        var itemEmbedding = weights["item_embedding.weight"];
        var hidden = itemEmbedding.shape[1];
        Tensor LayerNorm(Tensor x, string name) => nn.functional.layer_norm(x, [hidden], weights[name + ".weight"], weights[name + ".bias"], eps);

        var x = itemEmbedding.index_select(0, itemSeq.flatten()).view(batch, length, hidden)
            + weights["position_embedding.weight"][..(int)length].unsqueeze(0);
        x = LayerNorm(x, "LayerNorm");
        var allowed = (itemSeq != 0).unsqueeze(1).unsqueeze(2) & ones(length, length, dtype: ScalarType.Bool).tril().unsqueeze(0).unsqueeze(0);
        var mask = where(allowed, zeros(1), full(1, -10000.0f));
        for (var layer = 0; layer < 2; layer++)
        {
            var prefix = $"trm_encoder.layer.{layer}.";
            Tensor Linear(Tensor t, string name) => nn.functional.linear(t, weights[prefix + name + ".weight"], weights[prefix + name + ".bias"]);
            Tensor Heads(Tensor t) => t.view(batch, length, heads, hidden / heads).permute(0, 2, 1, 3);
            var query = Heads(Linear(x, "multi_head_attention.query"));
            var key = Heads(Linear(x, "multi_head_attention.key"));
            var value = Heads(Linear(x, "multi_head_attention.value"));
            var probabilities = (query.matmul(key.transpose(-1, -2)) / Math.Sqrt(hidden / heads) + mask).softmax(-1);
            var context = probabilities.matmul(value).permute(0, 2, 1, 3).reshape(batch, length, hidden);
            var attended = LayerNorm(Linear(context, "multi_head_attention.dense") + x, prefix + "multi_head_attention.LayerNorm");
            var fed = Linear(nn.functional.gelu(Linear(attended, "feed_forward.dense_1")), "feed_forward.dense_2");
            x = LayerNorm(fed + attended, prefix + "feed_forward.LayerNorm");
        }
        var last = x.gather(1, (lengths - 1).view(-1, 1, 1).expand(-1, 1, hidden)).squeeze(1);
        return last.matmul(itemEmbedding.t());
    }
}
