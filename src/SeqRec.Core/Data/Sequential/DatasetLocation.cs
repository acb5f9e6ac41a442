using SeqRec.Configuration;

namespace SeqRec.Data;

/// <summary>Where a dataset's atomic files are: <c>&lt;folder&gt;/&lt;dataset&gt;/&lt;dataset&gt;.inter</c>.</summary>
public static class DatasetLocation
{
    /// <summary>Replaces the default data folder when set; a <c>data.data_path</c> given in a file or on the command line wins over it.</summary>
    public const string DataPathVariable = "SEQREC_DATA_PATH";

    /// <summary>
    /// The folder that holds one sub-folder per dataset: <c>data.data_path</c>, or <c>$SEQREC_DATA_PATH</c> when the
    /// setting is left at its default.
    /// </summary>
    public static string DataFolder(DataConfig config) =>
        config.DataPath == DataConfig.DefaultDataPath && Environment.GetEnvironmentVariable(DataPathVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : config.DataPath;

    /// <summary>The path of the dataset's file with the given suffix, e.g. <c>inter</c>.</summary>
    public static string AtomicFile(DataConfig config, string suffix) => AtomicFile(DataFolder(config), config.Dataset, suffix);

    public static string AtomicFile(string dataFolder, string dataset, string suffix) => Path.Combine(dataFolder, dataset, $"{dataset}.{suffix}");
}
