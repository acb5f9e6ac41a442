using SeqRec.Data.Atomic;
using Xunit;

namespace SeqRec.Tests.Data;

public sealed class AtomicFileReaderTests : IDisposable
{
    private readonly TempDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Reads_every_column_type_with_codes_in_order_of_first_appearance()
    {
        var path = _folder.Write("d", "item",
            "item_id:token\ttitle:token_seq\tprice:float\temb:float_seq\r\n" +
            "i9\tred car\t1.5\t0.5 -1\r\n" +
            "\r\n" +
            "i3\tcar\t\t2e3\r\n" +
            "i9\t\t-2\t\n");
        var table = AtomicFileReader.Read(path);

        Assert.Equal(3, table.RowCount);
        Assert.Equal([2, 4, 5], table.LineNumbers);
        var ids = (TokenColumn)table.Column("item_id");
        Assert.Equal([0, 1, 0], ids.Codes);
        Assert.Equal(["i9", "i3"], ids.Tokens);
        var title = (TokenSeqColumn)table.Column("title");
        Assert.Equal(["red", "car"], title.Tokens);
        Assert.Equal([0, 1], title.Row(0).ToArray());
        Assert.Equal([1], title.Row(1).ToArray());
        Assert.Empty(title.Row(2).ToArray());
        var price = ((FloatColumn)table.Column("price")).Values;
        Assert.Equal(1.5, price[0]);
        Assert.True(double.IsNaN(price[1]));
        Assert.Equal(-2, price[2]);
        var emb = (FloatSeqColumn)table.Column("emb");
        Assert.Equal([0.5, -1], emb.Row(0).ToArray());
        Assert.Equal([2000.0], emb.Row(1).ToArray());
        Assert.Empty(emb.Row(2).ToArray());
    }

    [Theory]
    [InlineData("881250949", 881250949.0)]
    [InlineData("-5", -5.0)]
    [InlineData("007", 7.0)]
    [InlineData("0.25", 0.25)]
    [InlineData("1e3", 1000.0)]
    [InlineData("-2.5E-1", -0.25)]
    [InlineData("1234567890123456789", 1234567890123456789.0)]
    public void Floats_parse_with_the_invariant_culture(string text, double expected)
    {
        var path = _folder.Write("d", "inter", $"x:float\n{text}\n");
        Assert.Equal(expected, ((FloatColumn)AtomicFileReader.Read(path).Column("x")).Values[0]);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("1,5")]
    [InlineData("12abc")]
    public void Malformed_floats_are_errors(string text)
    {
        var path = _folder.Write("d", "inter", $"x:float\n{text}\n");
        Assert.Contains($"'{text}' is not a number", Assert.Throws<SeqRecException>(() => AtomicFileReader.Read(path)).Message);
    }

    [Fact]
    public void An_empty_token_is_missing()
    {
        var path = _folder.Write("d", "inter", "user_id:token\titem_id:token\n\tb\n");
        var users = (TokenColumn)AtomicFileReader.Read(path).Column("user_id");
        Assert.Equal([TokenColumn.Missing], users.Codes);
    }

    [Fact]
    public void Loads_only_the_selected_columns_and_does_not_parse_the_others()
    {
        var path = _folder.Write("d", "inter", "user_id:token\trating:float\ttimestamp:float\nu1\tnot-a-number\t5\n");
        var table = AtomicFileReader.Read(path, new AtomicReadOptions { Columns = ["timestamp", "user_id"] });
        Assert.True(table.HasColumn("user_id"));
        Assert.True(table.HasColumn("timestamp"));
        Assert.False(table.HasColumn("rating"));
        Assert.Equal(3, table.Fields.Count);
    }

    [Fact]
    public void Reads_a_last_line_without_newline_and_a_custom_separator()
    {
        var path = _folder.Write("d", "inter", "user_id:token,item_id:token\nu1,i1\nu2,i2");
        var table = AtomicFileReader.Read(path, new AtomicReadOptions { FieldSeparator = ',' });
        Assert.Equal(2, table.RowCount);
        Assert.Equal(["i1", "i2"], ((TokenColumn)table.Column("item_id")).Tokens);
    }

    [Fact]
    public void Reads_lines_longer_than_its_buffer()
    {
        var longToken = new string('x', 200_000);
        var path = _folder.Write("d", "item", $"item_id:token\n{longToken}\ny\n");
        Assert.Equal([longToken, "y"], ((TokenColumn)AtomicFileReader.Read(path).Column("item_id")).Tokens);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var path = Path.Combine(_folder.Root, "nope", "nope.inter");
        var error = Assert.Throws<SeqRecException>(() => AtomicFileReader.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void An_empty_file_is_an_error(string content)
    {
        var path = _folder.Write("d", "inter", content);
        var error = Assert.Throws<SeqRecException>(() => AtomicFileReader.Read(path));
        Assert.Contains($"{path}: the file is empty", error.Message);
    }

    [Fact]
    public void A_header_field_without_type_names_line_and_column()
    {
        var path = _folder.Write("d", "inter", "user_id:token\titem_id\n");
        var error = Assert.Throws<SeqRecException>(() => AtomicFileReader.Read(path));
        Assert.Contains($"{path}:1: column 2 ('item_id')", error.Message);
        Assert.Contains("no type", error.Message);
    }

    [Fact]
    public void An_unknown_type_is_an_error_listing_the_known_ones()
    {
        var path = _folder.Write("d", "inter", "user_id:token\ttimestamp:int\n");
        var error = Assert.Throws<SeqRecException>(() => AtomicFileReader.Read(path));
        Assert.Contains($"{path}:1: column 2 ('timestamp:int'): unknown type 'int'", error.Message);
        Assert.Contains("token, token_seq, float, float_seq", error.Message);
    }

    [Fact]
    public void A_repeated_header_name_is_an_error()
    {
        var path = _folder.Write("d", "inter", "user_id:token\tuser_id:float\n");
        Assert.Contains("appears twice", Assert.Throws<SeqRecException>(() => AtomicFileReader.Read(path)).Message);
    }

    [Theory]
    [InlineData("u1\ti1\n", "2 fields, expected 3")]
    [InlineData("u1\ti1\t5\t7\n", "4 fields, expected 3")]
    public void A_row_with_the_wrong_number_of_fields_names_its_line(string row, string expected)
    {
        var path = _folder.Write("d", "inter", "user_id:token\titem_id:token\ttimestamp:float\nu0\ti0\t1\n" + row);
        var error = Assert.Throws<SeqRecException>(() => AtomicFileReader.Read(path));
        Assert.Contains($"{path}:3: {expected}", error.Message);
    }

    [Fact]
    public void A_non_numeric_float_names_file_line_and_column()
    {
        var path = _folder.Write("d", "inter", "user_id:token\titem_id:token\ttimestamp:float\nu0\ti0\t1\nu1\ti1\tyesterday\n");
        var error = Assert.Throws<SeqRecException>(() => AtomicFileReader.Read(path));
        Assert.Equal($"{path}:3: column 3 (timestamp): 'yesterday' is not a number", error.Message);
    }

    [Fact]
    public void A_non_numeric_float_seq_value_names_its_column()
    {
        var path = _folder.Write("d", "item", "item_id:token\temb:float_seq\ni0\t1 x 3\n");
        Assert.Contains($"{path}:2: column 2 (emb): 'x' is not a number", Assert.Throws<SeqRecException>(() => AtomicFileReader.Read(path)).Message);
    }

    [Fact]
    public void A_selected_column_absent_from_the_header_is_an_error_with_its_role()
    {
        var path = _folder.Write("d", "inter", "user_id:token\titem_id:token\n");
        var options = new AtomicReadOptions { Columns = ["timestamp"], ColumnRoles = new Dictionary<string, string> { ["timestamp"] = "the time field" } };
        var error = Assert.Throws<SeqRecException>(() => AtomicFileReader.Read(path, options));
        Assert.Equal($"{path}:1: the header has no column 'timestamp' (the time field); its columns are user_id, item_id", error.Message);
    }
}
