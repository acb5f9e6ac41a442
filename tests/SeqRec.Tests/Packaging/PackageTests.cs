using System.IO.Compression;
using Xunit;
using Xunit.Abstractions;

namespace SeqRec.Tests.Packaging;

/// <summary>
/// The packages as a user gets them: projects outside the repository that reference SeqRec through a folder feed
/// (never through project references) build, get the source generator, load libtorch, and the template builds.
/// </summary>
public sealed class PackageTests(PackedPackages packages, ITestOutputHelper output) : IClassFixture<PackedPackages>
{
    [Fact]
    public void The_library_packages_carry_the_generator_the_torch_patch_and_xml_docs()
    {
        Assert.True(packages.Pack.ExitCode == 0, packages.Pack.Describe("pack"));
        output.WriteLine($"pack (4 packages, no build): {packages.Pack.Elapsed.TotalSeconds:F1} s");

        Assert.Contains("analyzers/dotnet/cs/SeqRec.Generators.dll", Entries("SeqRec.Abstractions"));
        Assert.Contains("lib/net10.0/SeqRec.Abstractions.xml", Entries("SeqRec.Abstractions"));
        Assert.Contains("buildTransitive/SeqRec.Core.targets", Entries("SeqRec.Core"));
        Assert.Contains("buildTransitive/MarkVersionNeedWeak.cs", Entries("SeqRec.Core"));
        Assert.Contains("lib/net10.0/SeqRec.Models.xml", Entries("SeqRec.Models"));
        Assert.Contains("content/seqrec-model/.template.config/template.json", Entries("SeqRec.Templates"));
        foreach (var id in new[] { "SeqRec.Abstractions", "SeqRec.Core", "SeqRec.Models", "SeqRec.Templates" })
        {
            Assert.Contains("README.md", Entries(id));
            Assert.Contains("LICENSE", Entries(id));
        }
    }

    [Fact]
    public void A_project_referencing_SeqRec_Models_gets_the_generator_and_loads_torch()
    {
        Assert.True(packages.Pack.ExitCode == 0, packages.Pack.Describe("pack"));
        var project = Directory.CreateDirectory(Path.Combine(packages.Root, "Consumer")).FullName;
        // SeqRec.Models only: SeqRec.Core, SeqRec.Abstractions (with the generator) and the TorchSharp patch come
        // through it. Warnings are errors, as in a careful user's project.
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RuntimeIdentifier>$(NETCoreSdkRuntimeIdentifier)</RuntimeIdentifier>
                <SelfContained>false</SelfContained>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SeqRec.Models" Version="{packages.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "ConsumerConfig.cs"), """
            using SeqRec;

            namespace Consumer;

            [ConfigSection("consumer")]
            public sealed partial record ConsumerConfig
            {
                [Param(Min = 1, Help = "A width.")] public int Width { get; init; } = 8;
                [Param(Min = 0.0, Max = 1.0, Help = "A ratio.")] public double Ratio { get; init; } = 0.5;
            }
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using Consumer;
            using SeqRec.Configuration;
            using static TorchSharp.torch;

            // Info and Bind exist only if the generator ran on this project.
            var errors = new ConfigErrors();
            var config = ConsumerConfig.Bind(null, errors);
            Console.WriteLine($"section {ConsumerConfig.Info.Name}: {string.Join(",", ConsumerConfig.Info.Parameters.Select(p => p.Key))}; width {config.Width}");
            Console.WriteLine($"models {string.Join(",", SeqRec.Models.SeqRecModels.All.Select(m => m.Id))}");
            using var ones3 = ones(2, 3);
            Console.WriteLine($"torch sum {ones3.sum().item<float>()}");
            """);

        var build = DotnetProcess.Run(project, packages.Environment, PackedPackages.StepTimeout, "build", "-v:q", "-nologo");
        output.WriteLine($"consumer restore + build: {build.Elapsed.TotalSeconds:F1} s");
        Assert.True(build.ExitCode == 0, build.Describe("dotnet build"));

        var dll = Directory.GetFiles(Path.Combine(project, "bin"), "Consumer.dll", SearchOption.AllDirectories).Single();
        var run = DotnetProcess.Run(project, packages.Environment, PackedPackages.StepTimeout, dll);
        Assert.True(run.ExitCode == 0, run.Describe("the consumer"));
        Assert.Contains("section consumer: width,ratio; width 8", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"models ([a-z0-9_]+,)*lightsans,([a-z0-9_]+,)*sasrec\b", run.Output);
        Assert.Contains("torch sum 6", run.Output, StringComparison.Ordinal);

        // The packages under test came from the feed into this run's own packages folder.
        Assert.True(Directory.Exists(Path.Combine(packages.Root, "packages", "seqrec.core", packages.Version)));
    }

    [Fact]
    public void The_template_instantiates_and_its_model_and_tests_build_and_pass()
    {
        Assert.True(packages.Pack.ExitCode == 0, packages.Pack.Describe("pack"));
        // A hive of this run's own: the user's installed templates are neither read nor changed.
        var hive = Path.Combine(packages.Root, "template-hive");
        var install = DotnetProcess.Run(packages.Root, packages.Environment, PackedPackages.StepTimeout,
            "new", "install", packages.Package("SeqRec.Templates"), "--debug:custom-hive", hive);
        Assert.True(install.ExitCode == 0, install.Describe("dotnet new install"));

        var create = DotnetProcess.Run(packages.Root, packages.Environment, PackedPackages.StepTimeout,
            "new", "seqrec-model", "-n", "MeanPool", "--debug:custom-hive", hive);
        Assert.True(create.ExitCode == 0, create.Describe("dotnet new seqrec-model"));
        output.WriteLine($"template install: {install.Elapsed.TotalSeconds:F1} s, instantiate: {create.Elapsed.TotalSeconds:F1} s");

        var project = Path.Combine(packages.Root, "MeanPool");
        var csproj = File.ReadAllText(Path.Combine(project, "MeanPool.csproj"));
        Assert.Contains($"Include=\"SeqRec.Core\" Version=\"{packages.Version}\"", csproj, StringComparison.Ordinal);
        Assert.Contains("[Model(\"meanpool\"", File.ReadAllText(Path.Combine(project, "MeanPoolRecommender.cs")), StringComparison.Ordinal);

        var build = DotnetProcess.Run(project, packages.Environment, PackedPackages.StepTimeout, "build", "-v:q", "-nologo");
        output.WriteLine($"template project build: {build.Elapsed.TotalSeconds:F1} s");
        Assert.True(build.ExitCode == 0, build.Describe("dotnet build"));
        Assert.Single(Directory.GetFiles(Path.Combine(project, "bin"), "MeanPool.dll", SearchOption.AllDirectories));

        // Its tests: the generated parameter table, forward and backward through libtorch (patched on Debian 12).
        var test = DotnetProcess.Run(project, packages.Environment, PackedPackages.StepTimeout,
            "test", Path.Combine("tests", "MeanPool.Tests"), "-v:q", "-nologo");
        output.WriteLine($"template tests build + run: {test.Elapsed.TotalSeconds:F1} s");
        Assert.True(test.ExitCode == 0, test.Describe("dotnet test"));
        Assert.Contains("Passed:     2, Skipped:     1", test.Output, StringComparison.Ordinal);
    }

    private List<string> Entries(string id)
    {
        using var zip = ZipFile.OpenRead(packages.Package(id));
        return [.. zip.Entries.Select(e => e.FullName)];
    }
}
