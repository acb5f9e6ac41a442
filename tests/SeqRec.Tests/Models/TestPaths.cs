namespace SeqRec.Tests.Models;

/// <summary>Locations of the shared reference material, relative to the repository root (the folder with SeqRec.sln).</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>SEQREC_PARITY_DIR, or ../shared/reference/parity from the repository root.</summary>
    public static string ParityDir =>
        Environment.GetEnvironmentVariable("SEQREC_PARITY_DIR") is { Length: > 0 } dir
            ? dir
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "reference", "parity"));

    public static string E2eStateDict => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "reference", "e2e", "state_dict.pth"));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SeqRec.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no SeqRec.sln above {AppContext.BaseDirectory}");
    }
}
