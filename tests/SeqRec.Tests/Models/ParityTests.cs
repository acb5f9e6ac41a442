using Xunit;

namespace SeqRec.Tests.Models;

public class ParityTests
{
    public static TheoryData<string> Fixtures()
    {
        var files = Directory.GetFiles(TestPaths.ParityDir, "*.json").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new InvalidOperationException($"no parity fixtures (*.json) in {TestPaths.ParityDir}");
        var data = new TheoryData<string>();
        foreach (var file in files) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Model_reproduces_the_reference_outputs(string fixtureFile)
    {
        var fixture = ParityFixture.Load(Path.Combine(TestPaths.ParityDir, fixtureFile));
        var mismatches = ParityChecker.Compare(fixture);
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Fact]
    public void A_perturbed_expected_value_is_reported_with_the_fixture_and_tensor_names()
    {
        var file = Directory.GetFiles(TestPaths.ParityDir, "*.json").Order(StringComparer.Ordinal).First();
        var fixture = ParityFixture.Load(file);
        Assert.Empty(ParityChecker.Compare(fixture));

        fixture.SeqOutput.Data[3] += 1e-4;
        var perturbedLoss = new ParityFixture
        {
            Name = fixture.Name, Model = fixture.Model, Hyperparameters = fixture.Hyperparameters, NItems = fixture.NItems,
            MaxSeqLength = fixture.MaxSeqLength, StateDict = fixture.StateDict, Inputs = fixture.Inputs,
            SeqOutput = fixture.SeqOutput, FullSortScores = fixture.FullSortScores,
            CeLoss = fixture.CeLoss * (1 + 1e-4), BprLoss = fixture.BprLoss,
        };

        var mismatches = ParityChecker.Compare(perturbedLoss);

        Assert.Equal(2, mismatches.Count);
        Assert.Contains(mismatches, m => m.StartsWith($"{fixture.Name}: seq_output", StringComparison.Ordinal) && m.Contains("flat index 3"));
        Assert.Contains(mismatches, m => m.StartsWith($"{fixture.Name}: ce_loss", StringComparison.Ordinal));
    }
}
