using System.Text.Json;
using SeqRec.Models.SessionGraph;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>
/// The batched session graphs equal RecBole's per-row construction (SRGNN's and GCSAN's <c>_get_slice</c>): on the
/// reference fixtures' recorded graphs, on hand-made rows, and on random rows against a loop written as RecBole's.
/// </summary>
public class SessionGraphTests
{
    public static TheoryData<string> GraphFixtures()
    {
        var data = new TheoryData<string>();
        if (!Directory.Exists(TestPaths.ZooParityDir)) return data;
        foreach (var file in Directory.GetFiles(TestPaths.ZooParityDir, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            if (document.RootElement.TryGetProperty("intermediates", out var intermediates)
                && intermediates.ValueKind == JsonValueKind.Object
                && intermediates.TryGetProperty("session_graph_A", out _))
                data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Fact]
    public void The_reference_fixtures_record_session_graphs() => Assert.NotEmpty(GraphFixtures());

    [Theory]
    [MemberData(nameof(GraphFixtures))]
    public void Reproduces_the_graphs_recorded_in_a_reference_fixture(string fixtureFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.ZooParityDir, fixtureFile)));
        var root = document.RootElement;
        var intermediates = root.GetProperty("intermediates");
        var (seqShape, seq) = Read(root.GetProperty("inputs").GetProperty("item_seq"));

        using var itemSeq = tensor(seq.Select(v => (long)v).ToArray(), seqShape);
        using var graph = SessionGraphs.Build(itemSeq);

        var (itemsShape, items) = Read(intermediates.GetProperty("session_graph_items"));
        var (aliasShape, alias) = Read(intermediates.GetProperty("session_graph_alias_inputs"));
        var (aShape, a) = Read(intermediates.GetProperty("session_graph_A"));
        Assert.Equal(itemsShape, graph.Items.shape);
        Assert.Equal(aliasShape, graph.Alias.shape);
        Assert.Equal(aShape, graph.A.shape);
        Assert.Equal(items.Select(v => (long)v), graph.Items.data<long>().ToArray());
        Assert.Equal(alias.Select(v => (long)v), graph.Alias.data<long>().ToArray());
        Assert.Equal(a.Select(v => (float)v), graph.A.data<float>().ToArray());
    }

    [Fact]
    public void Builds_recboles_documented_example_with_shared_in_and_out_edges()
    {
        // Session 1, 2, 3, 2, 4 (RecBole's SRGNN docstring): node 2 has out-edges to 3 and 4 (1/2 each) and in-edges
        // from 1 and 3 (1/2 each).
        using var itemSeq = tensor(new long[] { 1, 2, 3, 2, 4 }, [1, 5]);
        using var graph = SessionGraphs.Build(itemSeq);

        Assert.Equal([1L, 2, 3, 4, 0], graph.Items.data<long>().ToArray());
        Assert.Equal([0L, 1, 2, 1, 3], graph.Alias.data<long>().ToArray());
        var a = graph.A[0];
        float At(long i, long j) => a[i, j].item<float>();
        Assert.Equal(0.5f, At(1, 0));       // in: 1 → 2
        Assert.Equal(0.5f, At(1, 2));       // in: 3 → 2
        Assert.Equal(1f, At(2, 1));         // in: 2 → 3
        Assert.Equal(1f, At(3, 1));         // in: 2 → 4
        Assert.Equal(1f, At(0, 5 + 1));     // out: 1 → 2
        Assert.Equal(0.5f, At(1, 5 + 2));   // out: 2 → 3
        Assert.Equal(0.5f, At(1, 5 + 3));   // out: 2 → 4
        Assert.Equal(1f, At(2, 5 + 1));     // out: 3 → 2
        Assert.Equal(6f, a.sum().item<float>());
    }

    [Fact]
    public void Counts_a_repeated_transition_once_and_puts_padding_at_node_zero()
    {
        using var itemSeq = tensor(new long[] { 5, 3, 5, 3, 5, 0, 0, 0 }, [1, 8]);
        using var graph = SessionGraphs.Build(itemSeq);

        Assert.Equal([0L, 3, 5, 0, 0, 0, 0, 0], graph.Items.data<long>().ToArray());
        Assert.Equal([2L, 1, 2, 1, 2, 0, 0, 0], graph.Alias.data<long>().ToArray());
        var a = graph.A[0];
        Assert.Equal(1f, a[1, 2].item<float>());        // in: 5 → 3, twice, counted once
        Assert.Equal(1f, a[2, 1].item<float>());        // in: 3 → 5
        Assert.Equal(1f, a[1, 8 + 2].item<float>());    // out: 3 → 5
        Assert.Equal(1f, a[2, 8 + 1].item<float>());    // out: 5 → 3
        Assert.Equal(4f, a.sum().item<float>());
    }

    [Theory]
    [InlineData(new long[] { 7, 0, 0, 0, 0, 0 })]                  // length 1: no edge at all
    [InlineData(new long[] { 4, 2, 9, 2, 1, 8 })]                  // full length: no padding node
    [InlineData(new long[] { 1, 1, 1, 0, 0, 0 })]                  // a repeated self-loop
    [InlineData(new long[] { 6, 6, 6, 6, 6, 6 })]                  // one node, full length
    [InlineData(new long[] { 3, 9, 3, 9, 3, 9 })]                  // alternating repeats
    [InlineData(new long[] { 9 })]                                 // L = 1
    public void Equals_recboles_loop_on_hand_made_rows(long[] row)
    {
        using var itemSeq = tensor(row, [1, row.Length]);
        using var graph = SessionGraphs.Build(itemSeq);
        AssertEqualsReference([row], graph);
    }

    [Fact]
    public void Equals_recboles_loop_on_random_rows_of_every_length()
    {
        const int length = 12;
        var random = new Random(11);
        var rows = new long[96][];
        for (var r = 0; r < rows.Length; r++)
        {
            var real = r % length + 1;
            rows[r] = new long[length];
            for (var t = 0; t < real; t++) rows[r][t] = random.Next(1, r % 3 == 0 ? 4 : 30);   // small vocabularies repeat
        }
        using var itemSeq = tensor(rows.SelectMany(x => x).ToArray(), [rows.Length, length]);
        using var graph = SessionGraphs.Build(itemSeq);
        AssertEqualsReference(rows, graph);
    }

    [Fact]
    public void Builds_the_adjacency_in_the_requested_type()
    {
        using var itemSeq = tensor(new long[] { 2, 5, 2, 7, 0, 0 }, [1, 6]);
        using var single = SessionGraphs.Build(itemSeq);
        using var dbl = SessionGraphs.Build(itemSeq, ScalarType.Float64);

        Assert.Equal(ScalarType.Float64, dbl.A.dtype);
        Assert.Equal(ScalarType.Int64, dbl.Items.dtype);
        Assert.Equal(single.A.data<float>().ToArray().Select(v => (double)v), dbl.A.data<double>().ToArray());
    }

    [Theory]
    [InlineData(true, 10)]
    [InlineData(false, 8)]
    public void The_graph_cell_has_recboles_parameter_names(bool messageBiases, int count)
    {
        using var cell = new GatedGraphCell(4, 1, messageBiases);
        var names = cell.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(count, names.Count);
        Assert.Contains("w_ih", names);
        Assert.Contains("linear_edge_out.bias", names);
        Assert.Equal(messageBiases, names.Contains("b_iah"));
        Assert.Equal(messageBiases, names.Contains("b_ioh"));
    }

    /// <summary>RecBole's construction, row by row, in double precision as numpy computes it.</summary>
    private static void AssertEqualsReference(long[][] rows, SessionGraphs graph)
    {
        var length = rows[0].Length;
        var items = graph.Items.data<long>().ToArray();
        var alias = graph.Alias.data<long>().ToArray();
        var a = graph.A.data<float>().ToArray();
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            var nodes = row.Distinct().Order().ToArray();
            Assert.Equal(nodes.Concat(new long[length - nodes.Length]), items.Skip(r * length).Take(length));
            Assert.Equal(row.Select(v => (long)Array.IndexOf(nodes, v)), alias.Skip(r * length).Take(length));

            var uA = new double[length, length];
            for (var i = 0; i < length - 1; i++)
            {
                if (row[i + 1] == 0) break;
                uA[Array.IndexOf(nodes, row[i]), Array.IndexOf(nodes, row[i + 1])] = 1;
            }
            for (var i = 0; i < length; i++)
            {
                double inDegree = 0, outDegree = 0;
                for (var j = 0; j < length; j++) { inDegree += uA[j, i]; outDegree += uA[i, j]; }
                if (inDegree == 0) inDegree = 1;
                if (outDegree == 0) outDegree = 1;
                for (var j = 0; j < length; j++)
                {
                    var offset = (r * length + i) * 2 * length;
                    Assert.Equal((float)(uA[j, i] / inDegree), a[offset + j]);
                    Assert.Equal((float)(uA[i, j] / outDegree), a[offset + length + j]);
                }
            }
        }
    }

    private static (long[] Shape, double[] Data) Read(JsonElement tensor) =>
        (tensor.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
         tensor.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray());
}
