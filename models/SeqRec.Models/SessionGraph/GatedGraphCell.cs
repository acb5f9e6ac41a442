using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models.SessionGraph;

/// <summary>
/// SR-GNN's gated graph network over a <see cref="SessionGraphs"/> (RecBole's <c>GNN</c>, state-dict names <c>w_ih</c>,
/// <c>w_hh</c>, <c>b_ih</c>, <c>b_hh</c>, <c>linear_edge_in</c>, <c>linear_edge_out</c>, and with
/// <c>messageBiases</c> <c>b_iah</c>, <c>b_ioh</c>). Each of the <c>step</c> propagations:
/// <c>in = A_in @ linear_edge_in(h) (+ b_iah)</c>, <c>out = A_out @ linear_edge_out(h) (+ b_ioh)</c>,
/// <c>gi = [in ; out] w_ih^T + b_ih</c>, <c>gh = h w_hh^T + b_hh</c>, gates (r, z, n) as a GRU's, and
/// <c>h' = (1 - z) h + z n</c>.
/// </summary>
public sealed class GatedGraphCell : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter w_ih;
    private readonly Parameter w_hh;
    private readonly Parameter b_ih;
    private readonly Parameter b_hh;
    private readonly Parameter? b_iah;
    private readonly Parameter? b_ioh;
    private readonly Linear linear_edge_in;
    private readonly Linear linear_edge_out;
    private readonly int _step;

    /// <param name="size">Node state size (the item embedding size).</param>
    /// <param name="step">Propagation steps.</param>
    /// <param name="messageBiases">Whether the in- and out-messages have their own biases (SRGNN: yes; GCSAN: no).</param>
    public GatedGraphCell(int size, int step, bool messageBiases) : base("GNN")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        _step = step;
        w_ih = nn.Parameter(empty(3 * size, 2 * size));
        w_hh = nn.Parameter(empty(3 * size, size));
        b_ih = nn.Parameter(empty(3 * size));
        b_hh = nn.Parameter(empty(3 * size));
        if (messageBiases)
        {
            b_iah = nn.Parameter(empty(size));
            b_ioh = nn.Parameter(empty(size));
        }
        linear_edge_in = nn.Linear(size, size, hasBias: true);
        linear_edge_out = nn.Linear(size, size, hasBias: true);
        RegisterComponents();
        ResetParameters(size);
    }

    /// <summary>RecBole's initialisation: every parameter U(-1/sqrt(size), 1/sqrt(size)).</summary>
    private void ResetParameters(int size)
    {
        using var noGrad = no_grad();
        var bound = 1.0 / Math.Sqrt(size);
        foreach (var parameter in parameters()) parameter.uniform_(-bound, bound);
    }

    /// <summary>The node states after <c>step</c> propagations: <paramref name="a"/> [B, n, 2n], <paramref name="hidden"/> [B, n, size].</summary>
    public override Tensor forward(Tensor a, Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var nodes = a.shape[1];
        var aIn = a.narrow(2, 0, nodes);
        var aOut = a.narrow(2, nodes, nodes);
        for (var i = 0; i < _step; i++) hidden = Propagate(aIn, aOut, hidden);
        return hidden.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The propagated state of every position's node, [B, L, size]: <paramref name="nodeEmbeddings"/> [B, L, size]
    /// (the embeddings of <see cref="SessionGraphs.Items"/>) through <c>step</c> propagations, gathered at
    /// <see cref="SessionGraphs.Alias"/>.
    /// </summary>
    public Tensor PositionStates(SessionGraphs graph, Tensor nodeEmbeddings)
    {
        using var scope = NewDisposeScope();
        var hidden = call(graph.A, nodeEmbeddings);
        var index = graph.Alias.unsqueeze(2).expand(-1, -1, hidden.shape[2]);
        return hidden.gather(1, index).MoveToOuterDisposeScope();
    }

    private Tensor Propagate(Tensor aIn, Tensor aOut, Tensor hidden)
    {
        var input = aIn.matmul(linear_edge_in.call(hidden));
        var output = aOut.matmul(linear_edge_out.call(hidden));
        if (b_iah is not null) input = input.add_(b_iah);
        if (b_ioh is not null) output = output.add_(b_ioh);
        var gi = nn.functional.linear(cat([input, output], 2), w_ih, b_ih).chunk(3, 2);
        var gh = nn.functional.linear(hidden, w_hh, b_hh).chunk(3, 2);
        var reset = torch.sigmoid(gi[0] + gh[0]);
        var update = torch.sigmoid(gi[1] + gh[1]);
        var candidate = torch.tanh(gi[2] + reset * gh[2]);
        return (1 - update) * hidden + update * candidate;
    }
}
