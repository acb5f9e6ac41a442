using System.Reflection;

namespace SeqRec.Tests.Packaging;

/// <summary>
/// SeqRec.Abstractions, SeqRec.Core, SeqRec.Models and SeqRec.Templates packed from this test run's build (no
/// rebuild) into a folder feed under a temporary folder, at a version no earlier run used, with a NuGet.config that
/// makes projects under that folder restore from the feed and from the machine's usual sources. Packages restored
/// there go to a packages folder of their own; the machine's global packages folder serves as a read-only fallback,
/// so TorchSharp is not copied again and the machine's folder never sees a SeqRec package under test.
/// Everything is written under <see cref="Root"/>, which is deleted afterwards.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    private static readonly string[] Projects =
    [
        "src/SeqRec.Abstractions/SeqRec.Abstractions.csproj",
        "src/SeqRec.Core/SeqRec.Core.csproj",
        "models/SeqRec.Models/SeqRec.Models.csproj",
        "templates/SeqRec.Templates/SeqRec.Templates.csproj",
    ];

    public PackedPackages()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Feed);
        Environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Root, "packages") };

        var configuration = typeof(PackedPackages).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var properties = string.Join(';',
            $"Configuration={configuration}", "NoBuild=true", $"Version={Version}",
            $"PackageOutputPath={Feed}/", $"NuspecOutputPath={Path.Combine(Root, "nuspec")}/");
        var packProject = Path.Combine(Root, "pack.proj");
        File.WriteAllText(packProject, $"""
            <Project>
              <ItemGroup>
            {string.Concat(Projects.Select(p => $"    <SeqRecPackage Include=\"{Path.Combine(TestPaths.RepoRoot, p)}\" />\n"))}  </ItemGroup>
              <Target Name="Pack">
                <MSBuild Projects="@(SeqRecPackage)" Targets="Pack" Properties="{properties}" />
              </Target>
            </Project>
            """);
        Pack = DotnetProcess.Run(Root, Environment, StepTimeout, "msbuild", packProject, "-t:Pack", "-v:m", "-nologo");

        File.WriteAllText(Path.Combine(Root, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="seqrec-under-test" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{MachinePackagesFolder()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    /// <summary>A prerelease version of this run only: a package of it cannot come from an earlier run's cache.</summary>
    public string Version { get; } = "0.0.1-test.t" + Guid.NewGuid().ToString("N")[..12];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "seqrec-packaging-" + Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(Root, "feed");

    /// <summary>Variables for every dotnet command run here.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public DotnetProcess.Result Pack { get; }

    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    private static string MachinePackagesFolder() =>
        System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
