using Microsoft.CodeAnalysis;
using Xunit;

namespace SeqRec.Generators.Tests;

/// <summary>
/// The generated source is checked against files in Baselines/. After an intended change to the emitters, run the
/// tests with SEQREC_UPDATE_BASELINES=1 to rewrite the baselines, and review the diff.
/// </summary>
public class BaselineTests
{
    [Theory]
    [InlineData("Sample.SampleConfig.g.cs")]
    [InlineData("ModelCatalog.g.cs")]
    public void Generated_source_matches_its_baseline(string hintName)
    {
        var (sources, diagnostics, _) = GeneratorHarness.Run(Samples.Section, Samples.Modeling, Samples.Model);
        Assert.Empty(diagnostics);
        Assert.True(sources.ContainsKey(hintName), $"not generated: {hintName}; generated: {string.Join(", ", sources.Keys)}");

        var baselinePath = Path.Combine(RepoPaths.Baselines, hintName + ".txt");
        if (Environment.GetEnvironmentVariable("SEQREC_UPDATE_BASELINES") == "1")
            File.WriteAllText(baselinePath, sources[hintName]);
        Assert.True(File.Exists(baselinePath), $"missing baseline {baselinePath}; run with SEQREC_UPDATE_BASELINES=1");
        Assert.Equal(File.ReadAllText(baselinePath), sources[hintName]);
    }

    [Fact]
    public void Without_a_declared_catalog_an_internal_one_named_after_the_assembly_is_emitted()
    {
        var (sources, diagnostics, output) = GeneratorHarness.Run(Samples.Section, Samples.Modeling, Samples.ModelWithoutCatalog);
        Assert.Empty(diagnostics);
        var catalog = sources["ModelCatalog.g.cs"];
        Assert.Contains("internal static class ModelCatalog_GeneratorTestAssembly", catalog);
        Assert.Contains("[assembly: global::SeqRec.AssemblyModelCatalogAttribute(typeof(global::SeqRec.Generated.ModelCatalog_GeneratorTestAssembly))]", catalog);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Generated_source_compiles_without_errors()
    {
        var (_, _, output) = GeneratorHarness.Run(Samples.Section, Samples.Modeling, Samples.Model);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }
}
