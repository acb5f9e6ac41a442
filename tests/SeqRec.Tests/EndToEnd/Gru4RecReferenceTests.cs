using System.Text.Json;
using SeqRec.Checkpoints;
using SeqRec.Cli;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Runs;
using SeqRec.Tests.Models;
using Xunit;

namespace SeqRec.Tests.EndToEnd;

/// <summary>
/// The end-to-end check of the recurrent models: GRU4Rec weights trained by the reference on ml-100k, imported and
/// evaluated here, give the reference's valid and test metrics to 4 decimals (data preparation, id mapping, the split,
/// TorchSharp's GRU with RecBole's state-dict names, and the metrics all have to agree).
/// </summary>
public class Gru4RecReferenceTests
{
    private static string Folder => Path.Combine(TestPaths.SharedReference, "e2e-gru4rec");

    private static string StateDictPath => Path.Combine(Folder, "state_dict.pth");

    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json"))).RootElement;

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
        WeightsFile.LoadInto(experiment.Model, StateDictPath);
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
        var model = Path.Combine(folder.Path, "gru4rec-reference.ckpt");
        var dataPath = $"data.data_path=\"{TestPaths.DataPath}\"";
        var (code, _, error) = Run("import", "--model", "gru4rec", "--dataset", "ml-100k", "--weights", StateDictPath, "--out", model,
            "--set", "eval.topk=[5,10,20]", "--set", dataPath);
        Assert.True(code == 0, error);

        (code, var output, error) = Run("evaluate", "--checkpoint", model);
        Assert.True(code == 0, error);
        var test = Expected.GetProperty("test");
        foreach (var key in new[] { "recall@5", "recall@10", "mrr@10", "ndcg@10", "ndcg@20", "hit@20", "precision@5" })
            Assert.Matches($@"{key}\s*│\s*-\s*│\s*{test.GetProperty(key).GetDouble():F4}", output);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        return (CliApp.Run(args, output, error), output.ToString(), error.ToString());
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
