using SeqRec.Data;
using Xunit;

namespace SeqRec.Tests.Data;

public sealed class ItemLabelsTests : IDisposable
{
    private readonly TempDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_title_column_labels_items_and_token_sequences_are_joined()
    {
        var path = _folder.Write("movies", "item",
            "item_id:token\trelease_year:token\tmovie_title:token_seq\tclass:token_seq\n" +
            "1\t1995\tToy Story\tAnimation Comedy\n" +
            "2\t1995\tGoldenEye\tAction\n");

        var labels = ItemLabels.TryLoad(path, "item_id")!;

        Assert.Equal("movie_title", labels.Column);
        Assert.Equal("Toy Story", labels.For("1"));
        Assert.Equal("GoldenEye", labels.For("2"));
        Assert.Null(labels.For("3"));
    }

    [Fact]
    public void Without_a_title_column_the_first_text_column_after_the_id_is_used()
    {
        var path = _folder.Write("shop", "item", "price:float\titem_id:token\tbrand:token\n9.5\t1\tacme\n");

        var labels = ItemLabels.TryLoad(path, "item_id")!;

        Assert.Equal("brand", labels.Column);
        Assert.Equal("acme", labels.For("1"));
    }

    [Fact]
    public void A_missing_file_or_one_without_text_columns_gives_no_labels()
    {
        Assert.Null(ItemLabels.TryLoad(Path.Combine(_folder.Root, "none", "none.item"), "item_id"));
        var numbersOnly = _folder.Write("numbers", "item", "item_id:token\tprice:float\n1\t9.5\n");
        Assert.Null(ItemLabels.TryLoad(numbersOnly, "item_id"));
    }

    [Fact]
    public void A_file_without_the_item_id_column_is_an_error_naming_the_file()
    {
        var path = _folder.Write("wrong", "item", "movie:token\ttitle:token_seq\n1\tToy Story\n");

        var error = Assert.Throws<SeqRecException>(() => ItemLabels.TryLoad(path, "item_id"));

        Assert.Contains($"{path}:1: no 'item_id:token' column", error.Message, StringComparison.Ordinal);
    }
}
