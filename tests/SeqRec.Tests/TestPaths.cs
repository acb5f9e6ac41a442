namespace SeqRec.Tests;

/// <summary>
/// Locations the tests need. The reference fixtures and weights are part of the repository (<c>tests/reference</c>);
/// environment variables point the tests at other copies (e.g. further fixtures) without code changes. MovieLens is
/// not ours to commit: the tests that need it read <c>SEQREC_DATA_PATH</c>, else <c>../shared/datasets</c> beside the
/// clone, else the clone's own <c>dataset/</c> folder, where it is downloaded from GroupLens as <c>seqrec</c> does.
/// </summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>SEQREC_REFERENCE_DIR, or the repository's <c>tests/reference</c>.</summary>
    public static string ReferenceDir =>
        Environment.GetEnvironmentVariable("SEQREC_REFERENCE_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepoRoot, "tests", "reference");

    /// <summary>SEQREC_PARITY_DIR, or the reference folder's <c>parity</c> (schema-1 fixtures).</summary>
    public static string ParityDir =>
        Environment.GetEnvironmentVariable("SEQREC_PARITY_DIR") is { Length: > 0 } dir ? dir : Path.Combine(ReferenceDir, "parity");

    /// <summary>SEQREC_ZOO_PARITY_DIR, or the zoo/ folder (schema-2 fixtures) of the parity folder.</summary>
    public static string ZooParityDir =>
        Environment.GetEnvironmentVariable("SEQREC_ZOO_PARITY_DIR") is { Length: > 0 } dir ? dir : Path.Combine(ParityDir, "zoo");

    /// <summary>Reference-trained SASRec weights for ml-100k and the metrics they must give.</summary>
    public static string E2eFolder => Path.Combine(ReferenceDir, "e2e");

    public static string E2eStateDict => Path.Combine(E2eFolder, "state_dict.pth");

    /// <summary>The SHA-256 of RecBole's atomic ml-100k files (<c>sha256sum</c> format).</summary>
    public static string Ml100kChecksums => Path.Combine(ReferenceDir, "ml-100k.SHA256SUMS");

    /// <summary>
    /// A folder holding <c>ml-100k/ml-100k.inter</c> (and .item, .user): the first of SEQREC_DATA_PATH,
    /// <c>../shared/datasets</c> and the clone's <c>dataset/</c>, downloaded there on first use when none has it.
    /// </summary>
    public static string DataPath => dataPath.Value;

    private static readonly Lazy<string> dataPath = new(FindOrDownloadMl100k);

    private static string FindOrDownloadMl100k()
    {
        if (Environment.GetEnvironmentVariable("SEQREC_DATA_PATH") is { Length: > 0 } variable) return variable;
        var shared = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets"));
        if (File.Exists(Path.Combine(shared, "ml-100k", "ml-100k.inter"))) return shared;
        var local = Path.Combine(RepoRoot, "dataset");
        try
        {
            SeqRec.Runs.DatasetProvider.Load(new SeqRec.Configuration.DataConfig { Dataset = "ml-100k", DataPath = local }, Console.Error);
        }
        catch (SeqRecException e)
        {
            throw new InvalidOperationException($"the tests that use MovieLens-100K need it: {e.Message}");
        }
        return local;
    }

    private static string FindRepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "SeqRec.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("SeqRec.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary folder deleted when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seqrec-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
