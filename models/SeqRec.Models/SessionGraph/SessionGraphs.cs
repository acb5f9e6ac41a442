using static TorchSharp.torch;

namespace SeqRec.Models.SessionGraph;

/// <summary>
/// The session graphs of a batch of right-padded item sequences, as SR-GNN builds one per sequence (RecBole's
/// <c>_get_slice</c>), computed for the whole batch with tensor ops:
/// <list type="bullet">
/// <item><see cref="Items"/> [B, L]: each row's distinct item ids in ascending order (item 0 among them when the row is
/// padded), right-padded with 0 to L.</item>
/// <item><see cref="Alias"/> [B, L]: the node of each position, the index of <c>item_seq[b, t]</c> in its row of
/// <see cref="Items"/> (padding positions point at node 0, which is item 0).</item>
/// <item><see cref="A"/> [B, L, 2L]: the normalised adjacency. Consecutive real items <c>t → t+1</c> (up to the first
/// padding position) give an edge between their nodes, counted once however often the transition repeats;
/// <c>A[b, i, j] = edge(j → i) / in_degree(i)</c> and <c>A[b, i, L + j] = edge(i → j) / out_degree(i)</c>, where a
/// degree of 0 divides by 1.</item>
/// </list>
/// </summary>
public sealed class SessionGraphs : IDisposable
{
    private SessionGraphs(Tensor items, Tensor alias, Tensor a)
    {
        Items = items;
        Alias = alias;
        A = a;
    }

    /// <summary>The nodes' item ids [B, L] (int64), sorted ascending per row and right-padded with 0.</summary>
    public Tensor Items { get; }

    /// <summary>The node index of every position [B, L] (int64).</summary>
    public Tensor Alias { get; }

    /// <summary>The normalised in-edge (first L columns) and out-edge (last L columns) adjacency [B, L, 2L].</summary>
    public Tensor A { get; }

    /// <summary>The session graphs of <paramref name="itemSeq"/> [B, L] (int64, right-padded with 0), A in <paramref name="dtype"/>.</summary>
    public static SessionGraphs Build(Tensor itemSeq, ScalarType dtype = ScalarType.Float32)
    {
        if (itemSeq.dim() != 2) throw new ArgumentException($"item_seq must be [B, L], got [{string.Join(", ", itemSeq.shape)}]", nameof(itemSeq));
        using var scope = NewDisposeScope();
        var (batch, length) = (itemSeq.shape[0], itemSeq.shape[1]);
        var seq = itemSeq.to_type(ScalarType.Int64);

        // Distinct items: sort each row, mark where a new value starts, number the runs 0, 1, ...
        var (sorted, order) = seq.sort(dim: 1);
        var starts = ones(batch, length, ScalarType.Bool, seq.device);
        if (length > 1) starts.narrow(1, 1, length - 1).copy_(sorted.narrow(1, 1, length - 1).ne(sorted.narrow(1, 0, length - 1)));
        var node = starts.cumsum(1, ScalarType.Int64).sub_(1);                   // node of each sorted position
        var items = zeros_like(seq).scatter_(1, node, sorted);                   // every position of a run writes the same id
        var alias = zeros_like(seq).scatter_(1, order, node);                    // back to the sequence's order

        // Edges t → t+1 while item t+1 is real (RecBole stops at the first padding position); a repeated transition
        // writes the same 1 again. Transitions after that point are sent to a spare last column and dropped.
        var adjacency = zeros(batch, length * length + 1, dtype, seq.device);
        if (length > 1)
        {
            var next = seq.narrow(1, 1, length - 1);
            var live = next.eq(0).cumsum(1).eq(0);
            var edge = alias.narrow(1, 0, length - 1).mul(length).add_(alias.narrow(1, 1, length - 1));
            edge = edge.masked_fill_(live.logical_not(), length * length);
            adjacency.scatter_(1, edge, ones(batch, length - 1, dtype, seq.device));
        }
        var uA = adjacency.narrow(1, 0, length * length).view(batch, length, length);   // uA[i, j] = edge i → j
        var inDegree = uA.sum(1).clamp_min_(1).unsqueeze(2);                             // [B, L, 1], per node i
        var outDegree = uA.sum(2).clamp_min_(1).unsqueeze(2);
        var a = cat([uA.transpose(1, 2).div(inDegree), uA.div(outDegree)], 2);

        return new SessionGraphs(items.MoveToOuterDisposeScope(), alias.MoveToOuterDisposeScope(), a.MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        Items.Dispose();
        Alias.Dispose();
        A.Dispose();
    }
}
