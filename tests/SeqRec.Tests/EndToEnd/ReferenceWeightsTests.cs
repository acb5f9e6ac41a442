using SeqRec.Tests.Models;
using System.Text.Json;
using SeqRec.Checkpoints;
using SeqRec.Cli;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Runs;
using Xunit;
using static SeqRec.Tests.Cli.CliRun;

namespace SeqRec.Tests.EndToEnd;

/// <summary>
/// The end-to-end proof of RecBole compatibility: SASRec weights trained by the reference on ml-100k, imported and
/// evaluated here, give the reference's own valid and test metrics to 4 decimals. This only holds if data preparation,
/// id mapping, the split, the model and the metrics all match.
/// </summary>
public class ReferenceWeightsTests
{
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.E2eFolder, "expected.json"))).RootElement;

    [Fact]
    public void Imported_reference_weights_reproduce_the_reference_metrics()
    {
        var config = ConfigResolver.Resolve(new ConfigRequest
        {
            Model = Expected.GetProperty("model").GetString(),
            Dataset = "ml-100k",
            Texts = [new ConfigText("expected.json", SeqrecConfigAsToml())],
            Sets = [$"data.data_path=\"{TestPaths.DataPath}\""],
        }, TinyModels.Registry);
        using var experiment = Experiment.Prepare(config);
        WeightsFile.LoadInto(experiment.Model, TestPaths.E2eStateDict);
        var evaluator = experiment.CreateEvaluator();

        foreach (var (split, samples) in new[] { ("test", experiment.Dataset.Test), ("best_valid", experiment.Dataset.Valid) })
        {
            var metrics = evaluator.Evaluate(experiment.Model, samples, EvalBatches.Enumerate(samples, 4096));
            foreach (var expected in Expected.GetProperty(split).EnumerateObject())
                Assert.True(expected.Value.GetDouble() == metrics[expected.Name], $"{split} {expected.Name}: expected {expected.Value.GetDouble()}, got {metrics[expected.Name]}");
        }
    }

    [Fact]
    public void Import_then_evaluate_through_the_cli_prints_the_reference_test_metrics()
    {
        using var folder = new TempFolder();
        var model = Path.Combine(folder.Path, "sasrec-reference.ckpt");
        var dataPath = $"data.data_path=\"{TestPaths.DataPath}\"";
        var (code, _, error) = Run("import", "--model", "sasrec", "--dataset", "ml-100k", "--weights", TestPaths.E2eStateDict, "--out", model,
            "--set", "eval.topk=[5,10,20]", "--set", dataPath);
        Assert.True(code == 0, error);

        (code, var output, error) = Run("evaluate", "--checkpoint", model);
        Assert.True(code == 0, error);
        var test = Expected.GetProperty("test");
        foreach (var key in new[] { "recall@10", "mrr@10", "ndcg@10", "hit@20" })
            Assert.Matches($@"{key}\s*│\s*-\s*│\s*{test.GetProperty(key).GetDouble():F4}", output);
    }


    /// <summary>The "seqrec_config" object of expected.json (SeqRec's keys) as TOML tables.</summary>
    private static string SeqrecConfigAsToml()
    {
        var text = new System.Text.StringBuilder();
        foreach (var section in Expected.GetProperty("seqrec_config").EnumerateObject())
        {
            text.Append('[').Append(section.Name).Append("]\n");
            foreach (var entry in section.Value.EnumerateObject())
                text.Append(entry.Name).Append(" = ").Append(entry.Value.GetRawText()).Append('\n');
        }
        return text.ToString();
    }
}
