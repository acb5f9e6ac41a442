using SeqRec.Configuration;

namespace SeqRec.Data;

/// <summary>Where a dataset's atomic files are: <c>&lt;folder&gt;/&lt;dataset&gt;/&lt;dataset&gt;.inter</c>.</summary>
public static class DatasetLocation
{
    /// <summary>Overrides <c>data.data_path</c> when set.</summary>
    public const string DataPathVariable = "SEQREC_DATA_PATH";

    /// <summary>The folder that holds one sub-folder per dataset.</summary>
    public static string DataFolder(DataConfig config) =>
        Environment.GetEnvironmentVariable(DataPathVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : config.DataPath;

    /// <summary>The path of the dataset's file with the given suffix, e.g. <c>inter</c>.</summary>
    public static string AtomicFile(DataConfig config, string suffix) => AtomicFile(DataFolder(config), config.Dataset, suffix);

    public static string AtomicFile(string dataFolder, string dataset, string suffix) => Path.Combine(dataFolder, dataset, $"{dataset}.{suffix}");
}
