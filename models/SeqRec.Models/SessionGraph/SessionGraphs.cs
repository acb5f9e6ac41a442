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

        // Edges t → t+1 while item t+1 is real (RecBole stops at the first padding position), written straight into
        // A's layout: edge u → v sets A[v, u] (in) and A[u, L + v] (out); a repeated transition writes the same 1
        // again. A transition past that point writes 0 at A[0, 0]: it only exists in a padded row, where node 0 is
        // item 0, which has no edge.
        var width = 2 * length;
        var a = zeros(batch, length * width, dtype, seq.device);
        if (length > 1)
        {
            var from = alias.narrow(1, 0, length - 1);
            var to = alias.narrow(1, 1, length - 1);
            var live = seq.narrow(1, 1, length - 1).eq(0).cumsum(1).eq(0);
            var inEdge = to.mul(width).add_(from).mul_(live);
            var outEdge = from.mul(width).add_(to).add_(length).mul_(live);
            var value = live.to_type(dtype);
            a.scatter_(1, cat([inEdge, outEdge], 1), cat([value, value], 1));
        }
        var halves = a.view(batch, length, 2, length);                          // [B, node, in|out, node]
        halves.div_(halves.sum(3, keepdim: true).clamp_min_(1));                // in- and out-degree, 0 → 1
        a = a.view(batch, length, width);

        return new SessionGraphs(items.MoveToOuterDisposeScope(), alias.MoveToOuterDisposeScope(), a.MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        Items.Dispose();
        Alias.Dispose();
        A.Dispose();
    }
}
