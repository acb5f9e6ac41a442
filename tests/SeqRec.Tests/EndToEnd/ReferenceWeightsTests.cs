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
/// The end-to-end proof of RecBole compatibility: weights trained by the reference on ml-100k (SASRec in <c>e2e/</c>,
/// GRU4Rec in <c>e2e-gru4rec/</c>), imported and evaluated here, give the reference's own valid and test metrics to 4
/// decimals. This only holds if data preparation, id mapping, the split, the model (with RecBole's state-dict names)
/// and the metrics all match.
/// </summary>
public class ReferenceWeightsTests
{
    public static TheoryData<string> Folders => ["e2e", "e2e-gru4rec"];

    private static JsonElement Expected(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.ReferenceDir, folder, "expected.json"))).RootElement;

    private static string StateDict(string folder) => Path.Combine(TestPaths.ReferenceDir, folder, "state_dict.pth");

    [Theory]
    [MemberData(nameof(Folders))]
    public void Imported_reference_weights_reproduce_the_reference_metrics(string folder)
    {
        var expected = Expected(folder);
        var config = ConfigResolver.Resolve(new ConfigRequest
        {
            Model = expected.GetProperty("model").GetString(),
            Dataset = "ml-100k",
            Texts = [new ConfigText("expected.json", SeqrecConfigAsToml(expected))],
            Sets = [$"data.data_path=\"{TestPaths.DataPath}\""],
        }, TinyModels.Registry);
        using var experiment = Experiment.Prepare(config);
        WeightsFile.LoadInto(experiment.Model, StateDict(folder));
        var evaluator = experiment.CreateEvaluator();

        foreach (var (split, samples) in new[] { ("test", experiment.Dataset.Test), ("best_valid", experiment.Dataset.Valid) })
        {
            var metrics = evaluator.Evaluate(experiment.Model, samples, experiment.EvaluationBatches(samples, 4096));
            foreach (var metric in expected.GetProperty(split).EnumerateObject())
                Assert.True(metric.Value.GetDouble() == metrics[metric.Name], $"{split} {metric.Name}: expected {metric.Value.GetDouble()}, got {metrics[metric.Name]}");
        }
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Import_then_evaluate_through_the_cli_prints_the_reference_test_metrics(string folder)
    {
        var expected = Expected(folder);
        var modelId = expected.GetProperty("model").GetString()!;
        using var temp = new TempFolder();
        var model = Path.Combine(temp.Path, $"{modelId}-reference.ckpt");
        var dataPath = $"data.data_path=\"{TestPaths.DataPath}\"";
        var (code, _, error) = Run("import", "--model", modelId, "--dataset", "ml-100k", "--weights", StateDict(folder), "--out", model,
            "--set", "eval.topk=[5,10,20]", "--set", dataPath);
        Assert.True(code == 0, error);

        (code, var output, error) = Run("evaluate", "--checkpoint", model);
        Assert.True(code == 0, error);
        foreach (var metric in expected.GetProperty("test").EnumerateObject())
            Assert.Matches($@"{metric.Name}\s*│\s*{metric.Value.GetDouble():F4}", output);
    }

    /// <summary>The "seqrec_config" object of expected.json (SeqRec's keys) as TOML tables.</summary>
    private static string SeqrecConfigAsToml(JsonElement expected)
    {
        var text = new System.Text.StringBuilder();
        foreach (var section in expected.GetProperty("seqrec_config").EnumerateObject())
        {
            text.Append('[').Append(section.Name).Append("]\n");
            foreach (var entry in section.Value.EnumerateObject())
                text.Append(entry.Name).Append(" = ").Append(entry.Value.GetRawText()).Append('\n');
        }
        return text.ToString();
    }
}
