using System.IO.Compression;

namespace SeqRec.Data.Import;

/// <summary>Bytes received so far and the total, when the server announced it.</summary>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes);

/// <summary>What <see cref="MovieLensDownload.Ml100kAsync"/> produced; the feature files are null when the archive lacked them.</summary>
public sealed record DownloadResult(string InterPath, int Interactions, long DownloadedBytes, string? ItemPath = null, string? UserPath = null);

/// <summary>
/// Fetches MovieLens-100K from GroupLens, checks that the archive opens and holds <c>ml-100k/u.data</c>, and
/// converts it to <c>&lt;data folder&gt;/ml-100k/ml-100k.inter</c>, with <c>.item</c> and <c>.user</c> from
/// <c>u.item</c> and <c>u.user</c> (each written atomically; the <c>.inter</c> file last, so its presence means
/// the whole conversion succeeded).
/// </summary>
public static class MovieLensDownload
{
    public static readonly Uri Ml100kUrl = new("https://files.grouplens.org/datasets/movielens/ml-100k.zip");
    public const string UDataEntry = "ml-100k/u.data";
    public const string UItemEntry = "ml-100k/u.item";
    public const string UUserEntry = "ml-100k/u.user";

    public static async Task<DownloadResult> Ml100kAsync(
        Uri url, string dataFolder, IProgress<DownloadProgress>? progress = null, HttpClient? client = null, CancellationToken cancellationToken = default)
    {
        var datasetFolder = Path.Combine(dataFolder, "ml-100k");
        Directory.CreateDirectory(datasetFolder);
        var zipPath = Path.Combine(datasetFolder, $".ml-100k.{Guid.NewGuid():N}.zip");
        try
        {
            var bytes = await DownloadAsync(url, zipPath, progress, client, cancellationToken);
            return ConvertArchive(zipPath, url, datasetFolder) with { DownloadedBytes = bytes };
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

    private static DownloadResult ConvertArchive(string zipPath, Uri url, string datasetFolder)
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
            var uData = archive.GetEntry(UDataEntry)
                ?? throw new SeqRecException($"{url}: the archive has no {UDataEntry}; is this the MovieLens-100K zip?");
            var itemPath = ConvertEntry(archive.GetEntry(UItemEntry), url, Path.Combine(datasetFolder, "ml-100k.item"), MovieLensConverter.ConvertUItem);
            var userPath = ConvertEntry(archive.GetEntry(UUserEntry), url, Path.Combine(datasetFolder, "ml-100k.user"), MovieLensConverter.ConvertUUser);
            var interactions = 0;
            var interPath = ConvertEntry(uData, url, Path.Combine(datasetFolder, "ml-100k.inter"),
                (reader, writer, source) => interactions = MovieLensConverter.ConvertUData(reader, writer, source))!;
            return new DownloadResult(interPath, interactions, 0, itemPath, userPath);
        }
    }

    /// <summary>Converts one archive entry into an atomic file; null (nothing written) when the entry is absent.</summary>
    private static string? ConvertEntry(ZipArchiveEntry? entry, Uri url, string path, Func<TextReader, TextWriter, string, int> convert)
    {
        if (entry is null) return null;
        try
        {
            // u.item and u.user are Latin-1 (accented titles); u.data is ASCII, which Latin-1 reads alike.
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
