using System.IO.Compression;

namespace SeqRec.Data.Import;

/// <summary>Bytes received so far and the total, when the server announced it.</summary>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes);

/// <summary>What <see cref="MovieLensDownload.Ml100kAsync"/> produced; the feature files are null when the archive lacked them.</summary>
public sealed record DownloadResult(string InterPath, int Interactions, long DownloadedBytes, string? ItemPath = null, string? UserPath = null);

/// <summary>
/// A MovieLens archive SeqRec can fetch: where it is, and which entries become which atomic file. The ratings entry is
/// required; the movie and user entries are converted when the archive has them.
/// </summary>
public sealed record MovieLensRelease(string Name, Uri Url, string RatingsEntry, string ItemsEntry, string UsersEntry,
    Func<TextReader, TextWriter, string, int> ConvertRatings, Func<TextReader, TextWriter, string, int> ConvertItems,
    Func<TextReader, TextWriter, string, int> ConvertUsers)
{
    /// <summary>
    /// The SHA-256 of each atomic file the release converts to (<c>inter</c>, <c>item</c>, <c>user</c>), checked after
    /// the conversion: a download that differs (another file at the address, a mirror's edit, an altered transfer) is
    /// refused and nothing is kept. Null for a release whose files SeqRec has no reference for.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Sha256 { get; init; }

    public static MovieLensRelease Ml100k { get; } = new("ml-100k", new("https://files.grouplens.org/datasets/movielens/ml-100k.zip"),
        "ml-100k/u.data", "ml-100k/u.item", "ml-100k/u.user",
        MovieLensConverter.ConvertUData, MovieLensConverter.ConvertUItem, MovieLensConverter.ConvertUUser)
    {
        // RecBole's own ml-100k atomic files, which the conversion reproduces byte for byte.
        Sha256 = new Dictionary<string, string>
        {
            ["inter"] = "4edb74e2a81178c2ba9ff381495f754f996c4aea351b1272ca36b43da0935eff",
            ["item"] = "51d7cdf777ce5c0f5b32c1d947a4a81fe07d75e78abbe761e0cd4d0756064532",
            ["user"] = "4f670007d9cfbeb9807e757209af1555b9bcc186bde25e767f67cb67c6dd5972",
        },
    };

    public static MovieLensRelease Ml1m { get; } = new("ml-1m", new("https://files.grouplens.org/datasets/movielens/ml-1m.zip"),
        "ml-1m/ratings.dat", "ml-1m/movies.dat", "ml-1m/users.dat",
        MovieLensConverter.ConvertRatingsDat, MovieLensConverter.ConvertMoviesDat, MovieLensConverter.ConvertUsersDat);

    public static IReadOnlyList<MovieLensRelease> All { get; } = [Ml100k, Ml1m];

    /// <summary>The release named <paramref name="dataset"/>, or null.</summary>
    public static MovieLensRelease? Find(string dataset) => All.FirstOrDefault(r => r.Name == dataset);
}

/// <summary>
/// Fetches a MovieLens archive from GroupLens, checks that it opens and holds the ratings, and converts it to
/// <c>&lt;data folder&gt;/&lt;name&gt;/&lt;name&gt;.inter</c>, with <c>.item</c> and <c>.user</c> from the movie and user
/// files (each written atomically; the <c>.inter</c> file last, so its presence means the whole conversion succeeded).
/// </summary>
public static class MovieLensDownload
{
    public static readonly Uri Ml100kUrl = MovieLensRelease.Ml100k.Url;

    public static Task<DownloadResult> Ml100kAsync(
        Uri url, string dataFolder, IProgress<DownloadProgress>? progress = null, HttpClient? client = null, CancellationToken cancellationToken = default) =>
        FetchAsync(MovieLensRelease.Ml100k, url, dataFolder, progress, client, cancellationToken);

    public static async Task<DownloadResult> FetchAsync(MovieLensRelease release,
        Uri url, string dataFolder, IProgress<DownloadProgress>? progress = null, HttpClient? client = null, CancellationToken cancellationToken = default)
    {
        var datasetFolder = Path.Combine(dataFolder, release.Name);
        Directory.CreateDirectory(datasetFolder);
        var zipPath = Path.Combine(datasetFolder, $".{release.Name}.{Guid.NewGuid():N}.zip");
        try
        {
            var bytes = await DownloadAsync(url, zipPath, progress, client, cancellationToken);
            return ConvertArchive(release, zipPath, url, datasetFolder) with { DownloadedBytes = bytes };
        }
        finally
        {
            if (File.Exists(zipPath)) File.Delete(zipPath);
        }
    }

    private static async Task<long> DownloadAsync(Uri url, string path, IProgress<DownloadProgress>? progress, HttpClient? client, CancellationToken cancellationToken)
    {
        var ownClient = client is null;
        client ??= new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new SeqRecException($"{url}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
            var total = response.Content.Headers.ContentLength;
            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var target = File.Create(path);
            var buffer = new byte[1 << 16];
            long received = 0;
            progress?.Report(new DownloadProgress(0, total));
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                received += read;
                progress?.Report(new DownloadProgress(received, total));
            }
            if (total is { } expected && received != expected)
                throw new SeqRecException($"{url}: the download stopped after {received} of {expected} bytes");
            return received;
        }
        catch (HttpRequestException e)
        {
            throw new SeqRecException($"{url}: download failed: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SeqRecException($"{url}: download timed out", e);
        }
        finally
        {
            if (ownClient) client.Dispose();
        }
    }

    private static DownloadResult ConvertArchive(MovieLensRelease release, string zipPath, Uri url, string datasetFolder)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException e)
        {
            throw new SeqRecException($"{url}: the download is not a zip archive ({e.Message})", e);
        }
        using (archive)
        {
            var ratings = archive.GetEntry(release.RatingsEntry)
                ?? throw new SeqRecException($"{url}: the archive has no {release.RatingsEntry}; is this the {release.Name} zip?");
            string AtomicPath(string kind) => Path.Combine(datasetFolder, $"{release.Name}.{kind}");
            var itemPath = ConvertEntry(archive.GetEntry(release.ItemsEntry), url, AtomicPath("item"), release.ConvertItems);
            var userPath = ConvertEntry(archive.GetEntry(release.UsersEntry), url, AtomicPath("user"), release.ConvertUsers);
            var interactions = 0;
            var interPath = ConvertEntry(ratings, url, AtomicPath("inter"),
                (reader, writer, source) => interactions = release.ConvertRatings(reader, writer, source))!;
            CheckPinned(release, url, [("inter", interPath), ("item", itemPath), ("user", userPath)]);
            return new DownloadResult(interPath, interactions, 0, itemPath, userPath);
        }
    }

    /// <summary>Compares every written file with the release's pinned SHA-256; on a mismatch removes them all and refuses.</summary>
    private static void CheckPinned(MovieLensRelease release, Uri url, (string Kind, string? Path)[] written)
    {
        if (release.Sha256 is not { } pins) return;
        foreach (var (kind, path) in written)
        {
            if (path is null || !pins.TryGetValue(kind, out var expected)) continue;
            string actual;
            using (var file = File.OpenRead(path)) actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
            if (actual == expected) continue;
            foreach (var (_, other) in written)
            {
                if (other is not null && File.Exists(other)) File.Delete(other);
            }
            throw new SeqRecException($"{url}: the archive converts to a {release.Name}.{kind} whose SHA-256 is {actual}, not the {expected} of the {release.Name} release; " +
                "it is another or an altered file, and nothing was kept (to use your own data, convert it with 'seqrec dataset import')");
        }
    }

    /// <summary>Converts one archive entry into an atomic file; null (nothing written) when the entry is absent.</summary>
    private static string? ConvertEntry(ZipArchiveEntry? entry, Uri url, string path, Func<TextReader, TextWriter, string, int> convert)
    {
        if (entry is null) return null;
        try
        {
            // MovieLens' movie and user files are Latin-1 (accented titles); the ratings are ASCII, which Latin-1 reads alike.
            AtomicFileWrite.Write(path, writer =>
            {
                using var reader = new StreamReader(entry.Open(), System.Text.Encoding.Latin1);
                convert(reader, writer, $"{url}:{entry.FullName}");
            });
        }
        catch (InvalidDataException e)
        {
            throw new SeqRecException($"{url}: {entry.FullName} is corrupt in the archive ({e.Message})", e);
        }
        return path;
    }
}
