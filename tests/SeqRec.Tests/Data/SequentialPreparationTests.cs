using SeqRec.Configuration;
using SeqRec.Data;
using Xunit;

namespace SeqRec.Tests.Data;

public sealed class SequentialPreparationTests : IDisposable
{
    private readonly TempDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Describe(SequentialDataset dataset, SampleSet set, int index)
    {
        var history = set.History(index).ToArray().Select(id => dataset.Items.Token(id));
        return $"{string.Join(",", history)}>{dataset.Items.Token(set.Target(index))}";
    }

    private static string[] Describe(SequentialDataset dataset, SampleSet set) =>
        [.. Enumerable.Range(0, set.Count).Select(i => Describe(dataset, set, i))];

    [Fact]
    public void The_reference_worked_example_splits_a_to_f_into_three_train_one_valid_one_test()
    {
        var dataset = _folder.Load(_folder.Inter("u a 1\nu b 2\nu c 3\nu d 4\nu e 5\nu f 6"));

        Assert.Equal(["a>b", "a,b>c", "a,b,c>d"], Describe(dataset, dataset.Train));
        Assert.Equal(["a,b,c,d>e"], Describe(dataset, dataset.Valid));
        Assert.Equal(["a,b,c,d,e>f"], Describe(dataset, dataset.Test));
        Assert.Equal(2, dataset.NUsers);
        Assert.Equal(7, dataset.NItems);
        Assert.Equal(6, dataset.InteractionCount);
        Assert.Equal(50, dataset.Train.MaxSeqLength);
        Assert.Equal(["a", "b", "c", "d", "e", "f"], dataset.LatestHistory(1).ToArray().Select(dataset.Items.Token));
    }

    [Fact]
    public void Users_with_two_three_and_four_interactions_split_as_recbole()
    {
        var dataset = _folder.Load(_folder.Inter("""
            two a 1
            two b 2
            three c 1
            three d 2
            three e 3
            four f 1
            four g 2
            four h 3
            four i 4
            one j 1
            """));

        Assert.Equal(["a>b", "c>d", "f>g"], Describe(dataset, dataset.Train));
        Assert.Equal(["f,g>h"], Describe(dataset, dataset.Valid));
        Assert.Equal(["c,d>e", "f,g,h>i"], Describe(dataset, dataset.Test));
        Assert.Equal(5, dataset.NUsers);
        Assert.Equal(["j"], dataset.LatestHistory(dataset.Users.GetOrAdd("one")).ToArray().Select(dataset.Items.Token));
    }

    [Theory]
    [InlineData(SplitMode.ValidOnly, new[] { "a>b", "c>d", "f>g", "f,g>h" }, new[] { "c,d>e", "f,g,h>i" }, new string[0])]
    [InlineData(SplitMode.TestOnly, new[] { "a>b", "c>d", "f>g", "f,g>h" }, new string[0], new[] { "c,d>e", "f,g,h>i" })]
    public void The_other_leave_one_out_modes_leave_out_one_sample(SplitMode mode, string[] train, string[] valid, string[] test)
    {
        var config = _folder.Inter("two a 1\ntwo b 2\nthree c 1\nthree d 2\nthree e 3\nfour f 1\nfour g 2\nfour h 3\nfour i 4") with { Split = mode };
        var dataset = _folder.Load(config);
        Assert.Equal(train, Describe(dataset, dataset.Train));
        Assert.Equal(valid, Describe(dataset, dataset.Valid));
        Assert.Equal(test, Describe(dataset, dataset.Test));
    }

    [Fact]
    public void Interactions_are_stably_sorted_by_time_per_user_so_equal_times_keep_file_order()
    {
        var dataset = _folder.Load(_folder.Inter("u x 5\nu y 5\nu z 3\nu w 9"));
        Assert.Equal(["z>x"], Describe(dataset, dataset.Train));
        Assert.Equal(["z,x>y"], Describe(dataset, dataset.Valid));
        Assert.Equal(["z,x,y>w"], Describe(dataset, dataset.Test));
    }

    [Theory]
    // 999999990, 1000000000 and 1000000010 round to the same float32; normalized to [0, 1] over 999999990..1000000100
    // they stay apart.
    [InlineData(TimeOrder.Float32, "y,x,w,z")]
    [InlineData(TimeOrder.NormalizedFloat32, "w,x,y,z")]
    [InlineData(TimeOrder.Exact, "w,x,y,z")]
    public void Timestamps_are_compared_as_recbole_does_unless_exact_order_is_chosen(TimeOrder order, string expected)
    {
        var config = _folder.Inter("u y 1000000010\nu x 1000000000\nu w 999999990\nu z 1000000100") with { TimeOrder = order };
        var dataset = _folder.Load(config);
        Assert.Equal(expected, string.Join(",", dataset.LatestHistory(1).ToArray().Select(dataset.Items.Token)));
    }

    [Fact]
    public void Normalized_float32_times_tie_when_they_round_together_near_the_top_of_the_range()
    {
        // Normalized: b = 1, a = 0.99999999, which float32 rounds to 1: a tie, so file order (b first) decides.
        var config = _folder.Inter("u b 1000000010\nu a 1000000000\nu c 0");
        var dataset = _folder.Load(config);
        Assert.Equal("c,b,a", string.Join(",", dataset.LatestHistory(1).ToArray().Select(dataset.Items.Token)));
        var exact = _folder.Load(config with { TimeOrder = TimeOrder.Exact });
        Assert.Equal("c,a,b", string.Join(",", exact.LatestHistory(1).ToArray().Select(exact.Items.Token)));
    }

    [Fact]
    public void Equal_timestamps_everywhere_normalize_to_one_and_keep_file_order()
    {
        var dataset = _folder.Load(_folder.Inter("u b 7\nu a 7\nu c 7"));
        Assert.Equal("b,a,c", string.Join(",", dataset.LatestHistory(1).ToArray().Select(dataset.Items.Token)));
    }

    [Fact]
    public void Histories_are_truncated_to_their_last_max_item_list_length_items()
    {
        var dataset = _folder.Load(_folder.Inter("u a 1\nu b 2\nu c 3\nu d 4\nu e 5\nu f 6", maxItemListLength: 2));
        Assert.Equal(["a>b", "a,b>c", "b,c>d"], Describe(dataset, dataset.Train));
        Assert.Equal(["c,d>e"], Describe(dataset, dataset.Valid));
        Assert.Equal(["d,e>f"], Describe(dataset, dataset.Test));
        Assert.Equal(2, dataset.Train.MaxSeqLength);
        Assert.Equal(["e", "f"], dataset.LatestHistory(1).ToArray().Select(dataset.Items.Token));
    }

    [Fact]
    public void Ids_are_remapped_in_order_of_first_appearance_in_the_file_not_in_time()
    {
        var dataset = _folder.Load(_folder.Inter("u2 i9 5\nu1 i7 1\nu2 i7 6\nu1 i9 2"));
        Assert.Equal(["[PAD]", "u2", "u1"], Enumerable.Range(0, dataset.NUsers).Select(dataset.Users.Token));
        Assert.Equal(["[PAD]", "i9", "i7"], Enumerable.Range(0, dataset.NItems).Select(dataset.Items.Token));
    }

    [Fact]
    public void Splits_list_users_by_their_first_target_time_as_recbole_groups_the_time_ordered_samples()
    {
        // u1 appears first in the file (id 1) but u2's first target (time 2) comes before u1's (time 20);
        // u1's test target (45) is earlier than u2's (60), yet u2 comes first in every split.
        var dataset = _folder.Load(_folder.Inter("u1 a 10\nu1 b 20\nu1 c 30\nu1 d 40\nu1 x 45\nu2 e 1\nu2 f 2\nu2 g 50\nu2 h 60"));
        Assert.Equal([2, 1, 1], dataset.Train.Users.ToArray());
        Assert.Equal([2, 1], dataset.Valid.Users.ToArray());
        Assert.Equal([2, 1], dataset.Test.Users.ToArray());
        Assert.Equal(["e,f,g>h", "a,b,c,d>x"], Describe(dataset, dataset.Test));
    }

    [Fact]
    public void Equal_first_target_times_order_users_by_id()
    {
        var dataset = _folder.Load(_folder.Inter("u1 a 1\nu1 b 5\nu2 c 1\nu2 d 5\nu2 e 6"));
        Assert.Equal([1, 2], dataset.Train.Users.ToArray());
    }

    [Fact]
    public void A_missing_time_column_is_an_error_naming_the_setting()
    {
        _folder.Write("nt", "inter", "user_id:token\titem_id:token\nu\ta\n");
        var error = Assert.Throws<SeqRecException>(() => _folder.Load(_folder.Config("nt")));
        Assert.Contains("nt.inter:1: the header has no column 'timestamp' (the time field, data.time_field", error.Message);
        Assert.Contains("its columns are user_id, item_id", error.Message);
    }

    [Fact]
    public void Configurable_field_names_select_the_columns()
    {
        _folder.Write("named", "inter", "ts:float\tmovie:token\tviewer:token\n1\ta\tu\n2\tb\tu\n");
        var config = _folder.Config("named") with { UserIdField = "viewer", ItemIdField = "movie", TimeField = "ts" };
        var dataset = _folder.Load(config);
        Assert.Equal(["a>b"], Describe(dataset, dataset.Test.Count == 1 ? dataset.Test : dataset.Train));
    }

    [Fact]
    public void A_float_id_column_is_an_error()
    {
        _folder.Write("fid", "inter", "user_id:float\titem_id:token\ttimestamp:float\n1\ta\t1\n");
        var error = Assert.Throws<SeqRecException>(() => _folder.Load(_folder.Config("fid")));
        Assert.Contains("column 1 (user_id, data.user_id_field) has type float; expected token", error.Message);
    }

    [Fact]
    public void A_missing_id_is_an_error_naming_its_line_unless_dropping_is_enabled()
    {
        _folder.Write("gap", "inter", "user_id:token\titem_id:token\ttimestamp:float\nu\ta\t1\nu\t\t2\nu\tb\t3\n");
        var error = Assert.Throws<SeqRecException>(() => _folder.Load(_folder.Config("gap")));
        Assert.Contains("gap.inter:3: column 2 (item_id): the id is empty; set [data] drop_missing_ids = true", error.Message);

        var dataset = _folder.Load(_folder.Config("gap") with { DropMissingIds = true });
        Assert.Equal(2, dataset.InteractionCount);
    }

    [Fact]
    public void An_empty_timestamp_is_an_error_naming_its_line()
    {
        _folder.Write("nots", "inter", "user_id:token\titem_id:token\ttimestamp:float\nu\ta\t1\nu\tb\t\n");
        var error = Assert.Throws<SeqRecException>(() => _folder.Load(_folder.Config("nots")));
        Assert.Contains("nots.inter:3: column 3 (timestamp): the timestamp is empty", error.Message);
    }

    [Fact]
    public void A_missing_dataset_names_the_path_and_how_to_get_ml_100k()
    {
        var error = Assert.Throws<SeqRecException>(() => _folder.Load(_folder.Config("ml-100k")));
        Assert.Contains(Path.Combine(_folder.Root, "ml-100k", "ml-100k.inter") + ": file not found", error.Message);
        Assert.Contains("seqrec dataset download ml-100k", error.Message);
    }

    [Fact]
    public void The_data_path_comes_from_the_config_when_no_folder_is_given()
    {
        var config = _folder.Inter("u a 1\nu b 2");
        if (Environment.GetEnvironmentVariable(DatasetLocation.DataPathVariable) is { Length: > 0 }) return;
        Assert.Equal(1, SequentialDatasetLoader.Load(config).Train.Count);
    }

    [Fact]
    public void Latest_history_of_a_hand_built_dataset_comes_from_its_samples()
    {
        var items = new[] { 1, 2, 3 };
        var train = new SampleSet(items, [0], [1], [2], [1], 2);
        var test = new SampleSet(items, [0], [2], [3], [1], 2);
        var empty = new SampleSet(items, [], [], [], [], 2);
        var users = new TokenVocabulary();
        users.GetOrAdd("u");
        var dataset = new SequentialDataset("hand", users, new TokenVocabulary(), 3, 2, train, empty, test);
        Assert.Equal([2, 3], dataset.LatestHistory(1).ToArray());
        Assert.Empty(dataset.LatestHistory(0).ToArray());
    }
}

public sealed class SequenceSplitterTests
{
    [Fact]
    public void Per_user_order_matches_a_stable_sort_by_time_on_random_data_with_many_ties()
    {
        var random = new Random(5);
        const int rows = 5_000;
        var users = new int[rows];
        var items = new int[rows];
        var times = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            users[i] = 1 + random.Next(30);
            items[i] = 1 + random.Next(500);
            times[i] = random.Next(40);
        }
        var split = SequenceSplitter.Split(users, items, times, 31, 1000, SplitMode.ValidAndTest, TimeOrder.Exact);

        for (var u = 1; u <= 30; u++)
        {
            var expected = Enumerable.Range(0, rows).Where(i => users[i] == u).OrderBy(i => times[i]).Select(i => items[i]);
            Assert.Equal(expected, split.Sequences.Sequence(u).ToArray());
        }
        Assert.Equal(rows - 3 * 30, split.Train.Count);
    }
}
