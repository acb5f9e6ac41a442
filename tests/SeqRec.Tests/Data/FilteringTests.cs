using SeqRec.Configuration;
using SeqRec.Data.Filtering;
using Xunit;

namespace SeqRec.Tests.Data;

public sealed class FilteringTests : IDisposable
{
    private readonly TempDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string[] Interactions(SeqRec.Data.SequentialDataset dataset) =>
        [.. Enumerable.Range(1, dataset.NUsers - 1)
            .SelectMany(u => dataset.LatestHistory(u).ToArray().Select(i => $"{dataset.Users.Token(u)}-{dataset.Items.Token(i)}"))
            .Order()];

    [Fact]
    public void K_core_filtering_repeats_until_every_user_and_item_is_within_its_interval()
    {
        // Round 1 bans u4 and i3; then i4 falls to one interaction; then u3 does. A single pass would keep u3-i1.
        var config = _folder.Inter("u1 i1 1\nu1 i2 2\nu1 i3 3\nu2 i1 4\nu2 i2 5\nu3 i1 6\nu3 i4 7\nu4 i4 8") with
        {
            UserInterNumInterval = "[2,inf)",
            ItemInterNumInterval = "[2,inf)",
        };
        var dataset = _folder.Load(config);
        Assert.Equal(["u1-i1", "u1-i2", "u2-i1", "u2-i2"], Interactions(dataset));
        Assert.Equal(3, dataset.NUsers);
        Assert.Equal(3, dataset.NItems);
    }

    [Fact]
    public void K_core_on_users_only_leaves_items_alone()
    {
        var config = _folder.Inter("u1 i1 1\nu1 i2 2\nu2 i3 3") with { UserInterNumInterval = "[2,inf)" };
        Assert.Equal(["u1-i1", "u1-i2"], Interactions(_folder.Load(config)));
    }

    [Fact]
    public void An_upper_bound_drops_heavy_users()
    {
        var config = _folder.Inter("u1 i1 1\nu1 i2 2\nu1 i3 3\nu2 i1 4\nu2 i2 5") with { UserInterNumInterval = "[0,2]" };
        Assert.Equal(["u2-i1", "u2-i2"], Interactions(_folder.Load(config)));
    }

    [Fact]
    public void Filtering_everything_away_is_an_error()
    {
        var config = _folder.Inter("u1 i1 1\nu2 i2 2") with { UserInterNumInterval = "[5,inf)" };
        Assert.Contains("no interaction is left after filtering", Assert.Throws<SeqRecException>(() => _folder.Load(config)).Message);
    }

    [Fact]
    public void Value_intervals_keep_rows_whose_value_lies_inside()
    {
        _folder.Write("rated", "inter", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n" +
            "u\ta\t5\t1\nu\tb\t2\t2\nu\tc\t3\t3\nu\td\t\t4\nv\te\t4\t5\nv\tf\t1\t6\n");
        var dataset = _folder.Load(_folder.Config("rated") with { ValInterval = ["rating:[3,inf)"] });
        Assert.Equal(["u-a", "u-c", "v-e"], Interactions(dataset));
    }

    [Fact]
    public void A_value_interval_on_a_missing_or_token_column_is_an_error()
    {
        _folder.Write("rated", "inter", "user_id:token\titem_id:token\tgenre:token\ttimestamp:float\nu\ta\tx\t1\n");
        var missing = Assert.Throws<SeqRecException>(() => _folder.Load(_folder.Config("rated") with { ValInterval = ["rating:[3,inf)"] }));
        Assert.Contains("the header has no column 'rating' (named in data.val_interval)", missing.Message);
        var token = Assert.Throws<SeqRecException>(() => _folder.Load(_folder.Config("rated") with { ValInterval = ["genre:[3,inf)"] }));
        Assert.Contains("(genre, data.val_interval) has type token; expected float", token.Message);
    }

    [Theory]
    [InlineData(DuplicateRemoval.First, "b,a,c")]
    [InlineData(DuplicateRemoval.Last, "b,c,a")]
    public void Duplicate_removal_keeps_the_first_or_last_interaction_in_time(DuplicateRemoval keep, string expected)
    {
        // In time order: b@1, a@3, c@4, a@5.
        var dataset = _folder.Load(_folder.Inter("u a 5\nu b 1\nu a 3\nu c 4") with { RmDupInter = keep });
        Assert.Equal(3, dataset.InteractionCount);
        Assert.Equal(expected, string.Join(",", dataset.LatestHistory(1).ToArray().Select(dataset.Items.Token)));
        // Rows are ordered by time before ids are assigned, as RecBole does, so ids follow the kept rows' time order.
        Assert.Equal(expected, string.Join(",", Enumerable.Range(1, dataset.NItems - 1).Select(dataset.Items.Token)));
    }

    [Fact]
    public void Without_duplicate_removal_repeats_stay()
    {
        var dataset = _folder.Load(_folder.Inter("u a 5\nu b 1\nu a 3"));
        Assert.Equal(3, dataset.InteractionCount);
    }

    [Theory]
    [InlineData("[3,inf)", 3, true)]
    [InlineData("[3,inf)", 2.999, false)]
    [InlineData("(3,5]", 3, false)]
    [InlineData("(3,5]", 5, true)]
    [InlineData("[0,1);[4,5]", 4.5, true)]
    [InlineData("[0,1);[4,5]", 2, false)]
    [InlineData("(-inf, 0]", -1e9, true)]
    public void Intervals_follow_recbole_syntax(string text, double value, bool inside)
    {
        Assert.Equal(inside, IntervalSet.Parse(text).Contains(value));
    }

    [Theory]
    [InlineData("[5,inf")]
    [InlineData("5,inf")]
    [InlineData("[5;inf)")]
    [InlineData("[a,3]")]
    [InlineData("[]")]
    [InlineData("[3,1]")]
    public void Malformed_intervals_are_rejected(string text)
    {
        Assert.False(IntervalSet.TryParse(text, out _, out var error));
        Assert.Contains(text.Split(';')[0], error);
    }

    [Fact]
    public void Malformed_filter_settings_are_config_errors_naming_the_key()
    {
        var config = _folder.Inter("u a 1\nu b 2") with
        {
            UserInterNumInterval = "[5,inf",
            ItemInterNumInterval = "[3,1]",
            ValInterval = ["rating>3"],
        };
        var message = Assert.Throws<SeqRecException>(() => _folder.Load(config)).Message;
        Assert.Contains("data.user_inter_num_interval: '[5,inf' is not an interval such as [5,inf)", message);
        Assert.Contains("data.item_inter_num_interval: '[3,1]': the lower end 3 is above the upper end 1", message);
        Assert.Contains("data.val_interval: 'rating>3' is not field:intervals", message);
    }
}
