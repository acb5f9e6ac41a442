using System.Text.Json;
using SeqRec.Models;
using SeqRec.Modeling;
using SeqRec.Parity;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>SINE's prototype selection against the reference's, and the parts of its NLL loss.</summary>
public sealed class SineTests
{
    /// <summary>Scores closer than this (relative to their size) are a near-tie the two float paths may order either way.</summary>
    private const double TieTolerance = 1e-5;

    public static TheoryData<string> Fixtures() => [.. FixtureFiles()];

    private static IEnumerable<string> FixtureFiles()
    {
        if (!Directory.Exists(TestPaths.ZooParityDir)) yield break;
        foreach (var file in Directory.GetFiles(TestPaths.ZooParityDir, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            if (string.Equals(document.RootElement.GetProperty("model").GetString(), "SINE", StringComparison.OrdinalIgnoreCase)) yield return file;
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_selected_prototypes_are_the_references_up_to_near_ties(string fixtureFile)
    {
        var fixture = ParityFixture.Load(fixtureFile);
        var expected = ReferencePrototypes(fixtureFile);
        using var model = (Sine)ParityCheck.Build(fixture, TinyModels.Info("sine"), "CE", withoutRegularisation: false);
        using var batch = ParityCheck.BatchOf(fixture);
        using var noGrad = no_grad();

        using var scores = model.PrototypeScores(batch);
        var (selected, _) = model.SelectPrototypes(scores);
        Assert.Equal([expected.GetLength(0), expected.GetLength(1)], selected.shape);
        var rows = scores.data<float>().ToArray();
        var width = (int)scores.shape[1];
        var ids = selected.data<long>().ToArray();
        for (var row = 0; row < expected.GetLength(0); row++)
            for (var j = 0; j < expected.GetLength(1); j++)
            {
                var (ours, theirs) = (ids[row * expected.GetLength(1) + j], expected[row, j]);
                if (ours == theirs) continue;
                var (a, b) = (rows[row * width + ours], rows[row * width + theirs]);
                Assert.True(Math.Abs(a - b) <= TieTolerance * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b))),
                    $"row {row}, rank {j}: selected prototype {ours} (score {a}), the reference selected {theirs} (score {b}): not a near-tie");
            }
    }

    [Fact]
    public void Nll_reports_the_main_loss_and_the_regulariser_and_the_other_losses_one_term()
    {
        var file = FixtureFiles().First();
        var fixture = ParityFixture.Load(file);
        using var batch = ParityCheck.BatchOf(fixture);
        using var noGrad = no_grad();

        using var nll = ParityCheck.Build(fixture, TinyModels.Info("sine"), "NLL", withoutRegularisation: false);
        var loss = nll.CalculateLoss(batch);
        Assert.Equal(["main", "reg"], loss.Parts.Select(p => p.Name));
        Assert.True(loss.Parts[1].Value.item<float>() > 0, "the prototype regulariser is positive for random prototypes");
        Assert.Equal(loss.Total.item<float>(), loss.Parts[0].Value.item<float>() + loss.Parts[1].Value.item<float>(), 5);

        using var ce = ParityCheck.Build(fixture, TinyModels.Info("sine"), "CE", withoutRegularisation: false);
        var ceLoss = ce.CalculateLoss(batch);
        Assert.Empty(ceLoss.Parts);
        Assert.Equal(ceLoss.Total.item<float>(), loss.Parts[0].Value.item<float>(), 5);
    }

    private static long[,] ReferencePrototypes(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        var tensor = document.RootElement.GetProperty("intermediates").GetProperty("sine_selected_prototypes");
        var shape = tensor.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var data = tensor.GetProperty("data").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var result = new long[shape[0], shape[1]];
        for (var i = 0; i < data.Length; i++) result[i / shape[1], i % shape[1]] = data[i];
        return result;
    }
}
