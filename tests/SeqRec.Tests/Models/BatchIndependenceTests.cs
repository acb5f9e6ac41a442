using SeqRec.Data;
using SeqRec.Modeling;
using SeqRec.Parity;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>
/// In evaluation a row's scores depend on that row alone: every zoo fixture's batch, taken one row at a time (a last
/// evaluation batch of one) and in reverse order, gives the rows of the whole batch's outputs, which the parity tests
/// check against the reference. This catches squeezes and batch-wide graph or padding logic that only hold for B > 1.
/// </summary>
public sealed class BatchIndependenceTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestPaths.ZooParityDir, "*defaults.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Single_rows_and_a_reordered_batch_score_as_in_the_whole_batch(string fixtureFile)
    {
        var fixture = ParityFixture.Load(Path.Combine(TestPaths.ZooParityDir, fixtureFile));
        var info = TinyModels.Registry.Find(fixture.Model);
        Assert.NotNull(info);
        using var scope = NewDisposeScope();
        using var model = ParityCheck.Build(fixture, info, fixture.Losses.Keys.First(), withoutRegularisation: false);
        using var noGrad = no_grad();
        using var batch = ParityCheck.BatchOf(fixture);
        var forward = model.Forward(batch);
        var scores = model.FullSortScores(batch);
        var rows = batch.Size;

        for (var row = 0; row < rows; row++)
        {
            using var single = Rows(batch, [row]);
            AssertClose(forward[row..(row + 1)], model.Forward(single), $"forward of row {row} alone");
            AssertClose(scores[row..(row + 1)], model.FullSortScores(single), $"full-sort scores of row {row} alone");
        }

        var reversed = Enumerable.Range(0, rows).Reverse().ToArray();
        using var flipped = Rows(batch, reversed);
        using var order = tensor(reversed.Select(i => (long)i).ToArray());
        AssertClose(scores.index_select(0, order), model.FullSortScores(flipped), "full-sort scores of the reversed batch");
    }

    /// <summary>The batch's rows <paramref name="rows"/>: every field whose first dimension is the batch's.</summary>
    private static Batch Rows(Batch batch, long[] rows)
    {
        var index = tensor(rows);
        Tensor Pick(Tensor t) => t.index_select(0, index);
        var picked = new Batch(Pick(batch.ItemSeq), Pick(batch.ItemSeqLen), Pick(batch.PosItems), [.. rows.Select(r => batch.SampleIndices[r])],
            batch.NegItems is { } neg ? Pick(neg) : null, batch.UserIds is { } users ? Pick(users) : null);
        foreach (var name in batch.FieldNames)
        {
            var field = batch.Get(name);
            picked.Set(name, field.dim() > 0 && field.shape[0] == batch.Size ? Pick(field) : field.alias());
        }
        return picked;
    }

    private static Batch Rows(Batch batch, int[] rows) => Rows(batch, rows.Select(r => (long)r).ToArray());

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape), $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= 1e-5, $"{what}: differs by {difference}");
    }
}
