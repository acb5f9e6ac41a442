using SeqRec.Data;
using SeqRec.Evaluation;
using SeqRec.Tests.Training;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Evaluation;

public class TopItemsTests
{
    private static readonly float[,] Table =
    {
        { 0, 0, 0, 0, 0 },
        { 10, 0.1f, 0.5f, 0.5f, 0.9f },
        { 0, 0, 0, 0, 0 },
    };

    [Fact]
    public void Top_items_skip_padding_and_order_ties_by_id()
    {
        using var model = new FixedScoresModel(Table);
        using var batch = OneRow();

        var top = Assert.Single(TopItems.For(model, batch, k: 3, excludeHistory: false));

        Assert.Equal([4, 2, 3], top.Select(t => t.Item));
        Assert.Equal(0.9f, top[0].Score);
    }

    [Fact]
    public void Top_items_can_exclude_the_history_and_return_fewer_when_items_run_out()
    {
        using var model = new FixedScoresModel(Table);
        using var batch = OneRow();

        var top = Assert.Single(TopItems.For(model, batch, k: 10, excludeHistory: true));

        Assert.Equal([2, 3], top.Select(t => t.Item));
    }

    private static Batch OneRow() => new(tensor(new long[,] { { 1, 4, 0, 0 } }), tensor(new long[] { 2 }), tensor(new long[] { 0 }), [0]);
}
