using SeqRec.Modeling;
using Xunit;

namespace SeqRec.Tests.Toolchain;

/// <summary>
/// What a model assembly pulls in: it references SeqRec.Core (or SeqRec.Models), so those must not depend on the
/// tuning study stores' database drivers or on the command line's console and plotting libraries.
/// </summary>
public class AssemblyDependencyTests
{
    private static readonly string[] ToolOnly = ["Npgsql", "Microsoft.Data.Sqlite", "SeqRec.Tuning", "Spectre.Console", "ScottPlot", "System.CommandLine", "seqrec"];

    [Theory]
    [InlineData(typeof(SequentialRecommender))]
    [InlineData(typeof(SeqRec.Models.SeqRecModels))]
    public void The_libraries_a_model_references_leave_the_tools_dependencies_out(Type fromAssembly)
    {
        var references = fromAssembly.Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("TorchSharp", references);
        Assert.Empty(references.Intersect(ToolOnly));
    }

    [Fact]
    public void Tuning_keeps_the_database_drivers()
    {
        var references = typeof(SeqRec.Tuning.Store.StudyStorage).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Npgsql", references);
        Assert.Contains("Microsoft.Data.Sqlite", references);
    }
}
