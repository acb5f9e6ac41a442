namespace SeqRec.Tests;

/// <summary>Locations the tests need: the repository root and the shared reference material beside it.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>SEQREC_DATA_PATH, else ../shared/datasets next to the repository.</summary>
    public static string DataPath => Environment.GetEnvironmentVariable("SEQREC_DATA_PATH") is { Length: > 0 } p
        ? p
        : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets"));

    public static string SharedReference => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "reference"));

    /// <summary>SEQREC_PARITY_DIR, or ../shared/reference/parity.</summary>
    public static string ParityDir =>
        Environment.GetEnvironmentVariable("SEQREC_PARITY_DIR") is { Length: > 0 } dir ? dir : Path.Combine(SharedReference, "parity");

    /// <summary>SEQREC_ZOO_PARITY_DIR, or the zoo/ folder (schema-2 fixtures) of the parity folder.</summary>
    public static string ZooParityDir =>
        Environment.GetEnvironmentVariable("SEQREC_ZOO_PARITY_DIR") is { Length: > 0 } dir ? dir : Path.Combine(ParityDir, "zoo");

    /// <summary>Reference-trained SASRec weights for ml-100k and the metrics they must give.</summary>
    public static string E2eFolder => Path.Combine(SharedReference, "e2e");

    public static string E2eStateDict => Path.Combine(E2eFolder, "state_dict.pth");

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
