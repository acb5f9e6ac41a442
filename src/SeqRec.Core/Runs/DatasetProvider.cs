using System.Globalization;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Data.Import;

namespace SeqRec.Runs;

/// <summary>
/// Finds the dataset a configuration names. Like RecBole, a missing ml-100k or ml-1m is downloaded from GroupLens into
/// the data folder first; any other missing dataset is a clear error saying where it was looked for.
/// </summary>
public static class DatasetProvider
{
    public static SequentialDataset Load(DataConfig config, TextWriter? progress = null)
    {
        var folder = DatasetLocation.DataFolder(config);
        var inter = DatasetLocation.AtomicFile(folder, config.Dataset, "inter");
        if (!File.Exists(inter) && MovieLensRelease.Find(config.Dataset) is { } release)
        {
            progress?.WriteLine($"dataset {release.Name} not found at {inter}; downloading it from {release.Url}");
            try
            {
                var result = MovieLensDownload.FetchAsync(release, release.Url, folder).GetAwaiter().GetResult();
                progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"downloaded {result.DownloadedBytes / 1e6:F1} MB, wrote {result.Interactions:N0} interactions to {result.InterPath}"));
            }
            catch (Exception e) when (e is HttpRequestException or SeqRecException or IOException)
            {
                throw new SeqRecException($"dataset {release.Name} is not at {Path.GetFullPath(inter)} and could not be downloaded ({e.Message}); " +
                    $"set data.data_path (or {DatasetLocation.DataPathVariable}, which replaces the default folder) to a folder holding {release.Name}/{release.Name}.inter");
            }
        }
        if (!File.Exists(inter))
            throw new SeqRecException($"dataset '{config.Dataset}' not found: expected {Path.GetFullPath(inter)} " +
                $"(set data.data_path, or {DatasetLocation.DataPathVariable} which replaces the default folder; 'seqrec dataset import' converts a CSV)");
        return SequentialDatasetLoader.Load(config, folder);
    }
}
