using Xunit;

namespace SeqRec.Generators.Tests;

/// <summary>One case per SQR diagnostic: the misuse is reported with its id, and valid code reports nothing.</summary>
public class DiagnosticTests
{
    private const string Usings = "using SeqRec;\nusing SeqRec.Configuration;\nusing SeqRec.Modeling;\nnamespace T;\n";

    public static TheoryData<string, string> Cases => new()
    {
        { "SQR1001", """[ConfigSection("a")] public sealed record A { [Param] public int X { get; init; } }""" },
        { "SQR1002", """[ConfigSection("a")] public sealed partial class A { [Param] public int X { get; init; } }""" },
        { "SQR1003", """public static partial class Outer { [ConfigSection("a")] public sealed partial record A { [Param] public int X { get; init; } } }""" },
        { "SQR1004", """
            [ConfigSection("same")] public sealed partial record A { [Param] public int X { get; init; } }
            [ConfigSection("same")] public sealed partial record B { [Param] public int Y { get; init; } }
            """ },
        { "SQR1005", """[ConfigSection("Not-Snake")] public sealed partial record A { [Param] public int X { get; init; } }""" },
        { "SQR2001", """[ConfigSection("a")] public sealed partial record A { [Param] public System.DateTime When { get; init; } }""" },
        { "SQR2002", """[ConfigSection("a")] public sealed partial record A { [Param(Alias = "y")] public int X { get; init; } [Param] public int Y { get; init; } }""" },
        { "SQR2003", """[ConfigSection("a")] public sealed partial record A { [Param(Min = 1)] public string Name { get; init; } = "n"; }""" },
        { "SQR2004", """[ConfigSection("a")] public sealed partial record A { [Param(Min = 1, Max = 10)] public int X { get; init; } = 11; }""" },
        { "SQR2005", """[ConfigSection("a")] public sealed partial record A { [Param(Min = 5, Max = 1)] public int X { get; init; } = 3; }""" },
        { "SQR2006", """[ConfigSection("a")] public sealed partial record A { [Param] public int X => 1; }""" },
        { "SQR3001", """
            [ConfigSection("a")] public sealed partial record A { [Param] public int X { get; init; } }
            [Model("m")] public sealed class M1 : SequentialRecommender { public M1(A a, ModelContext c) { } }
            [Model("m")] public sealed class M2 : SequentialRecommender { public M2(A a, ModelContext c) { } }
            """ },
        { "SQR3002", """
            [Model("m")] public sealed class M : SequentialRecommender { public M(int a, ModelContext c) { } }
            """ },
        { "SQR3003", """
            [ConfigSection("a")] public sealed partial record A { [Param] public int X { get; init; } }
            [Model("m")] public sealed class M : SequentialRecommender { public M(A a, string wrong) { } }
            """ },
        { "SQR3004", """
            [ConfigSection("a")] public sealed partial record A { [Param] public int X { get; init; } }
            [Model("m")] public abstract class M : SequentialRecommender { }
            """ },
        { "SQR3005", """
            [ConfigSection("a")] public sealed partial record A { [Param] public int X { get; init; } }
            [Model("m")] public sealed class M { public M(A a, ModelContext c) { } }
            """ },
        { "SQR3006", """
            [ModelCatalog] public static partial class First;
            [ModelCatalog] public static partial class Second;
            """ },
        { "SQR3007", """
            [ModelCatalog] public partial class NotStatic;
            """ },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Misuse_is_reported_with_its_id(string id, string source)
    {
        var (_, diagnostics, _) = GeneratorHarness.Run(Usings + source, Samples.Modeling);
        Assert.Contains(diagnostics, d => d.Id == id);
        Assert.All(diagnostics, d => Assert.Equal(id, d.Id));
        Assert.All(diagnostics, d => Assert.NotEqual(Microsoft.CodeAnalysis.Location.None, d.Location));
    }

    [Fact]
    public void Every_diagnostic_id_is_documented()
    {
        var docs = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "diagnostics.md"));
        foreach (var id in Cases.Select(c => (string)c[0]))
            Assert.Contains($"## {id}", docs);
    }

    [Fact]
    public void Valid_sources_report_nothing()
    {
        var (_, diagnostics, _) = GeneratorHarness.Run(Samples.Section, Samples.Modeling, Samples.Model);
        Assert.Empty(diagnostics);
    }
}
