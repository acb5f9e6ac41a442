namespace SeqRec.Generators.Tests;

/// <summary>
/// The repository root, found from the test binaries (not from [CallerFilePath]: CI builds map source paths to
/// <c>/_/</c> for deterministic output).
/// </summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string Baselines => Path.Combine(Root, "tests", "SeqRec.Generators.Tests", "Baselines");

    private static string Find()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "SeqRec.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("SeqRec.sln not found above " + AppContext.BaseDirectory);
    }
}
