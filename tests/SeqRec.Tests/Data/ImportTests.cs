using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SeqRec.Data.Import;
using Xunit;

namespace SeqRec.Tests.Data;

public sealed class ImportTests : IDisposable
{
    private readonly TempDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open(), Encoding.Latin1); // MovieLens-100K's encoding
                writer.Write(content);
            }
        }
        return memory.ToArray();
    }

    /// <summary>ml-100k without its pinned hashes, for archives made up by the tests.</summary>
    private static readonly MovieLensRelease Unpinned = MovieLensRelease.Ml100k with { Sha256 = null };

    [Fact]
    public async Task An_ml_100k_download_that_differs_from_the_release_is_refused_and_nothing_is_kept()
    {
        using var server = new LocalHttpServer("/ml-100k.zip", Zip(("ml-100k/u.data", "196\t242\t3\t881250949\n")));

        var error = await Assert.ThrowsAsync<SeqRecException>(() => MovieLensDownload.Ml100kAsync(server.Url("/ml-100k.zip"), _folder.Root));

        Assert.Contains("the archive converts to a ml-100k.inter whose SHA-256 is", error.Message);
        Assert.Contains("not the 4edb74e2a81178c2ba9ff381495f754f996c4aea351b1272ca36b43da0935eff of the ml-100k release", error.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_folder.Root, "ml-100k")));
    }

    [Fact]
    public async Task Download_fetches_the_zip_from_a_local_server_and_converts_u_data()
    {
        var zip = Zip(("ml-100k/README", "x"), ("ml-100k/u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n"));
        using var server = new LocalHttpServer("/ml-100k.zip", zip);
        var reports = new List<DownloadProgress>();
        var progress = new SynchronousProgress(reports.Add);

        var result = await MovieLensDownload.FetchAsync(Unpinned, server.Url("/ml-100k.zip"), _folder.Root, progress);

        Assert.Equal(Path.Combine(_folder.Root, "ml-100k", "ml-100k.inter"), result.InterPath);
        Assert.Equal(3, result.Interactions);
        Assert.Equal(zip.Length, result.DownloadedBytes);
        Assert.Equal(
            "user_id:token\titem_id:token\trating:float\ttimestamp:float\n196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n",
            File.ReadAllText(result.InterPath));
        Assert.Equal(zip.Length, reports[^1].BytesReceived);
        Assert.Equal(zip.Length, reports[^1].TotalBytes);
        Assert.Equal(["ml-100k.inter"], Directory.GetFiles(Path.Combine(_folder.Root, "ml-100k")).Select(Path.GetFileName));
        Assert.Equal(3, _folder.Load(_folder.Config("ml-100k")).InteractionCount);
    }

    [Fact]
    public async Task Converting_the_reference_u_data_reproduces_the_reference_inter_file_byte_for_byte()
    {
        var folder = Path.Combine(TestPaths.DataPath, "ml-100k");
        var reference = Path.Combine(folder, "ml-100k.inter");
        var uData = string.Concat(File.ReadLines(reference).Skip(1).Select(l => l + "\n"));
        using var server = new LocalHttpServer("/ml-100k.zip", Zip(("ml-100k/u.data", uData)));

        var result = await MovieLensDownload.Ml100kAsync(server.Url("/ml-100k.zip"), _folder.Root);

        Assert.Equal(100_000, result.Interactions);
        var expectedHash = File.ReadLines(TestPaths.Ml100kChecksums).First(l => l.EndsWith(" ml-100k.inter")).Split(' ')[0];
        Assert.Equal(expectedHash, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(result.InterPath))));
    }

    [Fact]
    public async Task Converting_u_item_and_u_user_reproduces_the_reference_item_and_user_files_byte_for_byte()
    {
        var folder = Path.Combine(TestPaths.DataPath, "ml-100k");
        string Rows(string extension) => string.Concat(File.ReadLines(Path.Combine(folder, $"ml-100k.{extension}")).Skip(1).Select(l => l + "\n"));
        // u.user is the .user file with '|' for tabs; u.item is rebuilt from the .item file: the year back in the title,
        // one 0/1 flag per genre, and placeholder release dates and URLs (the conversion drops them).
        var uUser = Rows("user").Replace('\t', '|');
        var uItem = string.Concat(File.ReadLines(Path.Combine(folder, "ml-100k.item")).Skip(1).Select(line =>
        {
            var (id, title, year, genres) = (line.Split('\t')[0], line.Split('\t')[1], line.Split('\t')[2], line.Split('\t')[3].Split(' '));
            var fullTitle = year == "unkonwn" ? "unknown" : $"{title} ({year})";
            var flags = MovieLensConverter.Genres.Select(g => genres.Contains(g) ? "1" : "0");
            return $"{id}|{fullTitle}|01-Jan-1995||http://us.imdb.com/|{string.Join('|', flags)}\n";
        }));
        using var server = new LocalHttpServer("/ml-100k.zip", Zip(("ml-100k/u.data", Rows("inter")), ("ml-100k/u.item", uItem), ("ml-100k/u.user", uUser)));

        var result = await MovieLensDownload.Ml100kAsync(server.Url("/ml-100k.zip"), _folder.Root);

        var sums = File.ReadLines(TestPaths.Ml100kChecksums).ToDictionary(l => l.Split("  ")[1], l => l.Split("  ")[0]);
        foreach (var path in new[] { result.InterPath, result.ItemPath!, result.UserPath! })
            Assert.True(sums[Path.GetFileName(path)] == Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), $"{path} differs from the reference");
        var dataset = _folder.Load(_folder.Config("ml-100k"));
        Assert.Equal(100_000, dataset.InteractionCount);
    }

    [Fact]
    public async Task A_bad_u_item_row_names_its_line_and_column_and_no_inter_file_is_written()
    {
        var uItem = "1|Toy Story (1995)|01-Jan-1995||url|" + string.Join('|', Enumerable.Repeat("0", 19)) + "\n" +
                    "2|GoldenEye (1995)|01-Jan-1995||url|" + string.Join('|', Enumerable.Repeat("0", 18)) + "|x\n";
        using var server = new LocalHttpServer("/ml-100k.zip", Zip(("ml-100k/u.data", "1\t2\t3\t4\n"), ("ml-100k/u.item", uItem)));

        var error = await Assert.ThrowsAsync<SeqRecException>(() => MovieLensDownload.FetchAsync(Unpinned, server.Url("/ml-100k.zip"), _folder.Root));

        Assert.Contains("ml-100k/u.item:2: column 24 (Western): 'x' is not a 0/1 genre flag", error.Message);
        Assert.False(File.Exists(Path.Combine(_folder.Root, "ml-100k", "ml-100k.inter")));
    }

    [Fact]
    public async Task A_u_user_row_with_missing_fields_names_its_line()
    {
        using var server = new LocalHttpServer("/ml-100k.zip", Zip(("ml-100k/u.data", "1\t2\t3\t4\n"), ("ml-100k/u.user", "1|24|M|technician|85711\n2|53|F\n")));

        var error = await Assert.ThrowsAsync<SeqRecException>(() => MovieLensDownload.FetchAsync(Unpinned, server.Url("/ml-100k.zip"), _folder.Root));

        Assert.Contains("ml-100k/u.user:2: 3 fields, expected 5 (id, age, gender, occupation, zip code) separated by '|'", error.Message);
    }

    [Fact]
    public async Task Ml_1m_converts_ratings_movies_and_users_to_atomic_files()
    {
        using var server = new LocalHttpServer("/ml-1m.zip", Zip(
            ("ml-1m/ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n"),
            ("ml-1m/movies.dat", "661::James and the Giant Peach (1996)::Animation|Children's|Musical\n1193::Misérables, Les (1995)::Drama|Musical\n"),
            ("ml-1m/users.dat", "1::F::1::10::48067\n2::M::56::16::70072\n")));

        var result = await MovieLensDownload.FetchAsync(MovieLensRelease.Ml1m, server.Url("/ml-1m.zip"), _folder.Root);

        Assert.Equal(Path.Combine(_folder.Root, "ml-1m", "ml-1m.inter"), result.InterPath);
        Assert.Equal(3, result.Interactions);
        Assert.Equal("user_id:token\titem_id:token\trating:float\ttimestamp:float\n1\t1193\t5\t978300760\n1\t661\t3\t978302109\n2\t1193\t4\t978298413\n",
            File.ReadAllText(result.InterPath));
        Assert.Equal("item_id:token\tmovie_title:token_seq\trelease_year:token\tgenre:token_seq\n661\tJames and the Giant Peach\t1996\tAnimation Children's Musical\n1193\tMisérables, Les\t1995\tDrama Musical\n",
            File.ReadAllText(result.ItemPath!));
        Assert.Equal("user_id:token\tage:token\tgender:token\toccupation:token\tzip_code:token\n1\t1\tF\t10\t48067\n2\t56\tM\t16\t70072\n",
            File.ReadAllText(result.UserPath!));
        var dataset = _folder.Load(_folder.Config("ml-1m"));
        Assert.Equal(3, dataset.InteractionCount);
    }

    [Fact]
    public async Task A_bad_ml_1m_rating_names_its_line()
    {
        using var server = new LocalHttpServer("/ml-1m.zip", Zip(("ml-1m/ratings.dat", "1::1193::5::978300760\n1::661::five::978302109\n")));

        var error = await Assert.ThrowsAsync<SeqRecException>(() => MovieLensDownload.FetchAsync(MovieLensRelease.Ml1m, server.Url("/ml-1m.zip"), _folder.Root));

        Assert.Contains("ml-1m/ratings.dat:2: column 3: 'five' is not a number", error.Message);
    }

    [Fact]
    public async Task A_download_that_is_not_a_zip_is_an_error_and_leaves_nothing_behind()
    {
        using var server = new LocalHttpServer("/ml-100k.zip", Encoding.UTF8.GetBytes("<html>moved</html>"));
        var error = await Assert.ThrowsAsync<SeqRecException>(() => MovieLensDownload.FetchAsync(Unpinned, server.Url("/ml-100k.zip"), _folder.Root));
        Assert.Contains("is not a zip archive", error.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_folder.Root, "ml-100k")));
    }

    [Fact]
    public async Task A_zip_without_u_data_is_an_error()
    {
        using var server = new LocalHttpServer("/ml-100k.zip", Zip(("ml-100k/u.item", "1|Toy Story")));
        var error = await Assert.ThrowsAsync<SeqRecException>(() => MovieLensDownload.FetchAsync(Unpinned, server.Url("/ml-100k.zip"), _folder.Root));
        Assert.Contains("the archive has no ml-100k/u.data", error.Message);
    }

    [Fact]
    public async Task A_bad_u_data_row_names_its_line_and_keeps_an_existing_inter_file()
    {
        var existing = _folder.Write("ml-100k", "inter", "old");
        using var server = new LocalHttpServer("/ml-100k.zip", Zip(("ml-100k/u.data", "1\t2\t3\t4\n1\tx\t3\t4\n")));
        var error = await Assert.ThrowsAsync<SeqRecException>(() => MovieLensDownload.FetchAsync(Unpinned, server.Url("/ml-100k.zip"), _folder.Root));
        Assert.Contains("ml-100k/u.data:2: column 2: 'x' is not an integer id", error.Message);
        Assert.Equal("old", File.ReadAllText(existing));
    }

    [Fact]
    public async Task A_server_error_is_reported_with_its_status()
    {
        using var server = new LocalHttpServer("/ml-100k.zip", [1]);
        var error = await Assert.ThrowsAsync<SeqRecException>(() => MovieLensDownload.Ml100kAsync(server.Url("/elsewhere.zip"), _folder.Root));
        Assert.Contains("404", error.Message);
    }

    [Fact]
    public void Csv_import_writes_an_atomic_inter_file_with_quoting_dates_and_ratings()
    {
        var csv = Path.Combine(_folder.Root, "events.csv");
        File.WriteAllText(csv, "rating,who,\"what\",when\n4.5,alice,\"The \"\"Best\"\", Film\",1700000000\n3, bob ,b,2021-03-04T12:00:00Z\n\n");

        var result = CsvImport.Run(new CsvImportOptions(csv, "who", "what", "when", "mine", _folder.Root) { RatingColumn = "rating" });

        Assert.Equal(2, result.Interactions);
        Assert.Equal(
            "user_id:token\titem_id:token\trating:float\ttimestamp:float\nalice\tThe \"Best\", Film\t4.5\t1700000000\nbob\tb\t3\t1614859200\n",
            File.ReadAllText(result.InterPath));
        var dataset = _folder.Load(_folder.Config("mine"));
        Assert.Equal(3, dataset.NUsers);
    }

    [Fact]
    public void Csv_import_without_rating_and_with_another_delimiter()
    {
        var csv = Path.Combine(_folder.Root, "events.tsv");
        File.WriteAllText(csv, "u;i;t\nu1;i1;1\nu1;i2;2\n");
        var result = CsvImport.Run(new CsvImportOptions(csv, "u", "i", "t", "semi", _folder.Root) { Delimiter = ';' });
        Assert.Equal("user_id:token\titem_id:token\ttimestamp:float\nu1\ti1\t1\nu1\ti2\t2\n", File.ReadAllText(result.InterPath));
    }

    [Theory]
    [InlineData("u,i,t\nu1,i1,1\n", "x", "i", "t", ":1: --user 'x' is not a column; the header has u, i, t")]
    [InlineData("u;i;t\nu1;i1;1\n", "u", "i", "t", "the header has one column; is the delimiter right?")]
    [InlineData("u,i,t\nu1,i1\n", "u", "i", "t", ":2: 2 fields, expected 3")]
    [InlineData("u,i,t\nu1,,1\n", "u", "i", "t", ":2: column 'i' is empty")]
    [InlineData("u,i,t\nu1,i1,soon\n", "u", "i", "t", ":2: column 't': 'soon' is neither a number nor a date")]
    [InlineData("u,i,t\nu1,\"i1,1\n", "u", "i", "t", ":2: a quoted field is not closed")]
    [InlineData("u,i,t\n", "u", "i", "t", "has a header but no rows")]
    [InlineData("", "u", "i", "t", "the file is empty")]
    public void Csv_import_errors_name_file_line_and_column(string content, string user, string item, string time, string expected)
    {
        var csv = Path.Combine(_folder.Root, "bad.csv");
        File.WriteAllText(csv, content);
        var error = Assert.Throws<SeqRecException>(() => CsvImport.Run(new CsvImportOptions(csv, user, item, time, "bad", _folder.Root)));
        Assert.Contains(csv, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.False(File.Exists(Path.Combine(_folder.Root, "bad", "bad.inter")));
    }

    [Fact]
    public void Csv_import_rejects_a_bad_rating_and_a_bad_name()
    {
        var csv = Path.Combine(_folder.Root, "r.csv");
        File.WriteAllText(csv, "u,i,t,r\nu1,i1,1,good\n");
        Assert.Contains(":2: column 'r': 'good' is not a number",
            Assert.Throws<SeqRecException>(() => CsvImport.Run(new CsvImportOptions(csv, "u", "i", "t", "r", _folder.Root) { RatingColumn = "r" })).Message);
        Assert.Contains("--name '../x' is not a valid dataset name",
            Assert.Throws<SeqRecException>(() => CsvImport.Run(new CsvImportOptions(csv, "u", "i", "t", "../x", _folder.Root))).Message);
    }

    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
