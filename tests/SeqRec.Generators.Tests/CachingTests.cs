using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace SeqRec.Generators.Tests;

/// <summary>The pipeline caches: a second run on a cloned compilation reuses every tracked step, and no step output
/// holds Roslyn objects (which would pin compilations in memory and defeat caching).</summary>
public class CachingTests
{
    private static readonly string[] TrackedSteps =
    [
        TrackingNames.Sections, TrackingNames.Models, TrackingNames.SectionModels,
        TrackingNames.DuplicateSections, TrackingNames.Registry, TrackingNames.DuplicateModels,
        TrackingNames.Catalogs, TrackingNames.DuplicateCatalogs,
    ];

    [Fact]
    public void Second_run_on_a_cloned_compilation_is_fully_cached()
    {
        var compilation = GeneratorHarness.Compile(Samples.Section, Samples.Modeling, Samples.Model);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();

        driver = driver.RunGenerators(compilation.Clone());
        var second = driver.GetRunResult().Results.Single();

        foreach (var step in TrackedSteps)
        {
            Assert.True(second.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            var reasons = second.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.NotEmpty(first.GeneratedSources);
    }

    [Fact]
    public void An_unrelated_edit_regenerates_nothing()
    {
        var compilation = GeneratorHarness.Compile(Samples.Section, Samples.Modeling, Samples.Model);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other; public class Unrelated { }",
            new CSharpParseOptions(LanguageVersion.Latest)));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Step_outputs_hold_no_roslyn_objects()
    {
        var compilation = GeneratorHarness.Compile(Samples.Section, Samples.Modeling, Samples.Model);
        var result = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (var step in TrackedSteps)
        {
            foreach (var output in result.TrackedSteps[step].SelectMany(s => s.Outputs))
                AssertNoRoslynObjects(output.Value, step, []);
        }
    }

    private static readonly Type[] Banned = [typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(Location), typeof(SemanticModel)];

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value)) return;
        var type = value.GetType();
        Assert.False(Banned.Any(b => b.IsAssignableFrom(type)), $"{path} holds a {type.Name}");
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items) AssertNoRoslynObjects(item, $"{path}[{i++}]", seen);
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            AssertNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
    }
}
