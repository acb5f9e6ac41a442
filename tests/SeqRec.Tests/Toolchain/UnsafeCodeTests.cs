using System.Text.RegularExpressions;
using Xunit;

namespace SeqRec.Tests.Toolchain;

/// <summary>Raw-pointer code lives in one place, src/SeqRec.Core/Kernels, behind its guard (TensorMemory.Address).</summary>
public partial class UnsafeCodeTests
{
    [Fact]
    public void Only_the_kernels_folder_has_unsafe_code_and_only_core_allows_it()
    {
        var sources = Directory.GetFiles(TestPaths.RepoRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}"));
        var kernels = Path.Combine(TestPaths.RepoRoot, "src", "SeqRec.Core", "Kernels") + Path.DirectorySeparatorChar;

        var outside = sources.Where(f => UnsafeKeyword().IsMatch(File.ReadAllText(f)) && !f.StartsWith(kernels, StringComparison.Ordinal)).ToList();

        Assert.Empty(outside);
        var allowing = Directory.GetFiles(TestPaths.RepoRoot, "*.csproj", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("<AllowUnsafeBlocks>true", StringComparison.Ordinal))
            .Select(Path.GetFileName);
        Assert.Equal(["SeqRec.Core.csproj"], allowing);
    }

    [GeneratedRegex(@"^(?!\s*//).*\bunsafe\b", RegexOptions.Multiline)]
    private static partial Regex UnsafeKeyword();
}
