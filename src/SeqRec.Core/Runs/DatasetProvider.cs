using System.Globalization;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Data.Import;

namespace SeqRec.Runs;

/// <summary>
/// Finds the dataset a configuration names. Like RecBole, a missing ml-100k is downloaded from GroupLens into the data
/// folder first; any other missing dataset is a clear error saying where it was looked for.
/// </summary>
public static class DatasetProvider
{
    public static SequentialDataset Load(DataConfig config, TextWriter? progress = null)
    {
        var folder = DatasetLocation.DataFolder(config);
        var inter = DatasetLocation.AtomicFile(folder, config.Dataset, "inter");
        if (!File.Exists(inter) && config.Dataset == "ml-100k")
        {
            progress?.WriteLine($"dataset ml-100k not found at {inter}; downloading it from {MovieLensDownload.Ml100kUrl}");
            try
            {
                var result = MovieLensDownload.Ml100kAsync(MovieLensDownload.Ml100kUrl, folder).GetAwaiter().GetResult();
                progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"downloaded {result.DownloadedBytes / 1e6:F1} MB, wrote {result.Interactions:N0} interactions to {result.InterPath}"));
            }
            catch (Exception e) when (e is HttpRequestException or SeqRecException or IOException)
            {
                throw new SeqRecException($"dataset ml-100k is not at {Path.GetFullPath(inter)} and could not be downloaded ({e.Message}); " +
                    $"set {DatasetLocation.DataPathVariable} or data.data_path to a folder holding ml-100k/ml-100k.inter");
            }
        }
        if (!File.Exists(inter))
            throw new SeqRecException($"dataset '{config.Dataset}' not found: expected {Path.GetFullPath(inter)} " +
                $"(set {DatasetLocation.DataPathVariable} or data.data_path; 'seqrec dataset import' converts a CSV)");
        return SequentialDatasetLoader.Load(config, folder);
    }
}
