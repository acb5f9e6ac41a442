using System.Text.Json;
using SeqRec.Modeling;
using SeqRec.Parity;
using Xunit;

namespace SeqRec.Tests.Models;

/// <summary>
/// Every reference fixture of a registered model (schema 1 in SEQREC_PARITY_DIR, schema 2 in its zoo/ folder or
/// SEQREC_ZOO_PARITY_DIR) reproduces the reference's outputs through the model contract.
/// </summary>
public class ParityTests
{
    /// <summary>Fixture files whose model is registered; fixtures of models not implemented yet are left out.</summary>
    public static TheoryData<string, KernelChoice> Fixtures()
    {
        var data = new TheoryData<string, KernelChoice>();
        foreach (var file in AllFixtureFiles().Where(f => TinyModels.Registry.Find(ModelOf(f)) is not null))
            foreach (var kernels in Enum.GetValues<KernelChoice>())
                data.Add(file, kernels);
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Model_reproduces_the_reference_outputs_on_both_kernel_paths(string fixtureFile, KernelChoice kernels)
    {
        var result = ParityCheck.Run(ParityFixture.Load(fixtureFile), TinyModels.Registry, kernels);

        Assert.Equal(ParityStatus.Passed, result.Status);
        Assert.Null(result.Error);
        Assert.Contains(result.Comparisons, c => c.Output == "forward");
        Assert.Contains(result.Comparisons, c => c.Output == "full_sort_scores");
        Assert.Contains(result.Comparisons, c => c.Output.StartsWith("loss[", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_registered_model_has_a_reference_fixture()
    {
        var covered = AllFixtureFiles().Select(ModelOf).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(TinyModels.Registry.All, m => Assert.True(covered.Contains(m.Id), $"{m.Id} has no parity fixture in {TestPaths.ParityDir} or {TestPaths.ZooParityDir}"));
    }

    [Fact]
    public void A_perturbed_expected_value_is_reported_with_the_output_and_position()
    {
        var file = Directory.GetFiles(TestPaths.ParityDir, "*.json").Order(StringComparer.Ordinal).First();
        var fixture = ParityFixture.Load(file);
        Assert.Equal(ParityStatus.Passed, ParityCheck.Run(fixture, TinyModels.Registry).Status);

        fixture.Forward.Data[3] += 1e-4;
        var perturbed = new ParityFixture
        {
            Name = fixture.Name, Schema = fixture.Schema, Model = fixture.Model, Hyperparameters = fixture.Hyperparameters,
            NItems = fixture.NItems, MaxSeqLength = fixture.MaxSeqLength, StateDict = fixture.StateDict, Inputs = fixture.Inputs,
            Forward = fixture.Forward, FullSortScores = fixture.FullSortScores,
            Losses = fixture.Losses.ToDictionary(l => l.Key, l => l.Key == "CE" ? l.Value * (1 + 1e-4) : l.Value),
        };

        var result = ParityCheck.Run(perturbed, TinyModels.Registry);

        Assert.Equal(ParityStatus.Failed, result.Status);
        var failed = result.Comparisons.Where(c => !c.Passed).ToList();
        Assert.Equal(["forward", "loss[CE]"], failed.Select(c => c.Output));
        Assert.Contains("flat index 3", failed[0].Detail);
    }

    [Fact]
    public void A_fixture_of_an_unregistered_model_is_reported_as_such()
    {
        var file = Directory.GetFiles(TestPaths.ParityDir, "*.json").Order(StringComparer.Ordinal).First();
        var fixture = ParityFixture.Load(file);

        var result = ParityCheck.Run(fixture, SeqRec.Modeling.ModelRegistry.Empty);

        Assert.Equal(ParityStatus.NotRegistered, result.Status);
        Assert.Empty(result.Comparisons);
    }

    private static IEnumerable<string> AllFixtureFiles()
    {
        var files = new[] { TestPaths.ParityDir, TestPaths.ZooParityDir }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*.json"))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new InvalidOperationException($"no parity fixtures (*.json) in {TestPaths.ParityDir} or {TestPaths.ZooParityDir}");
        return files;
    }

    private static string ModelOf(string file)
    {
        using var stream = File.OpenRead(file);
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("model").GetString()!;
    }
}
