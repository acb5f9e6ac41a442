using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// TransRec (He, Kang and McAuley, RecSys 2017) as RecBole 1.2.1 computes it: the user translates the last item,
/// <c>x = user(u) + T + item(last)</c>, and item i scores <c>bias(i) - ||x - item(i)||_2</c>. The loss is BPR plus
/// RecBole's fixed regularisers: EmbLoss of the positive items, the users and the positive biases, and the sum of
/// |T_i| (RecBole's RegLoss iterates over the elements of the one-dimensional T).
/// </summary>
[Model("transrec", DisplayName = "TransRec", Paper = "He, Kang and McAuley, Translation-based Recommendation, RecSys 2017",
    Remarks = "As RecBole 1.2.1: the regulariser on T is its L1 norm (RecBole's RegLoss iterates over the elements of a 1-D tensor).")]
public sealed class TransRec : SequentialRecommender
{
    private readonly Embedding user_embedding;
    private readonly Embedding item_embedding;
    private readonly Embedding bias;
    private readonly Parameter T;
    private readonly int _embeddingSize;

    public TransRec(TransRecConfig config, ModelContext context) : base(nameof(TransRec), context)
    {
        RequireUsers();
        _embeddingSize = config.EmbeddingSize;
        user_embedding = nn.Embedding(context.NUsers, _embeddingSize, padding_idx: PaddingId);
        item_embedding = nn.Embedding(context.NItems, _embeddingSize, padding_idx: PaddingId);
        bias = nn.Embedding(context.NItems, 1, padding_idx: PaddingId);
        T = nn.Parameter(zeros(_embeddingSize));
        RegisterComponents();
        using var noGrad = no_grad();
        foreach (var table in new[] { user_embedding, item_embedding, bias }) nn.init.xavier_normal_(table.weight!);
    }

    public override BatchNeeds Needs { get; } = new() { UserIds = true, Negatives = true };

    /// <summary><c>user(u) + T + item(last)</c>, [B, E].</summary>
    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        CheckItemSeq(batch.ItemSeq);
        var last = batch.ItemSeq.gather(1, (batch.ItemSeqLen - 1).view(-1, 1)).squeeze(-1);
        return (user_embedding.call(batch.Users) + T + item_embedding.call(last)).MoveToOuterDisposeScope();
    }

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var seqOutput = Forward(batch);
        var (pos, neg, user) = (batch.PosItems, batch.Negatives, batch.Users);
        var posScore = Score(seqOutput, pos);
        var negScore = Score(seqOutput, neg);
        var main = (-(sigmoid(posScore - negScore) + 1e-10).log()).mean();
        var rows = (double)pos.shape[0];
        var reg = item_embedding.call(pos).detach().norm() / rows
                  + user_embedding.call(user).detach().norm() / rows
                  + bias.call(pos).detach().norm() / rows
                  + T.abs().sum();
        var total = main + reg;
        return new LossOutput(total.MoveToOuterDisposeScope(), [new LossPart("main", main.MoveToOuterDisposeScope()), new LossPart("reg", reg.MoveToOuterDisposeScope())]);
    }

    public override Tensor FullSortScores(Batch batch)
    {
        using var scope = NewDisposeScope();
        var seqOutput = Forward(batch);
        var items = item_embedding.weight!;
        var itemBias = bias.weight!.view(1, -1);
        var nItems = items.shape[0];
        // The [rows, n_items, E] differences RecBole builds, a slice of rows at a time to bound memory.
        var rowsPerChunk = Math.Max(1L, (1L << 24) / Math.Max(1L, nItems * _embeddingSize));
        var chunks = new List<Tensor>();
        for (long start = 0; start < seqOutput.shape[0]; start += rowsPerChunk)
        {
            var part = seqOutput.narrow(0, start, Math.Min(rowsPerChunk, seqOutput.shape[0] - start));
            var distance = (part.unsqueeze(1) - items.unsqueeze(0)).pow(2).sum(-1).sqrt();
            chunks.Add(itemBias - distance);
        }
        return (chunks.Count == 1 ? chunks[0] : cat(chunks, 0)).MoveToOuterDisposeScope();
    }

    public override Tensor Predict(Batch batch, Tensor items)
    {
        using var scope = NewDisposeScope();
        var seqOutput = Forward(batch);
        return Score(items.dim() == 2 ? seqOutput.unsqueeze(1) : seqOutput, items).MoveToOuterDisposeScope();
    }

    /// <summary><c>bias(i) - ||x - item(i)||_2</c> for items [B] (x [B, E]) or [B, N] (x [B, 1, E]).</summary>
    private Tensor Score(Tensor seqOutput, Tensor items)
    {
        using var scope = NewDisposeScope();
        var distance = (seqOutput - item_embedding.call(items)).pow(2).sum(-1).sqrt();
        return (bias.call(items).squeeze(-1) - distance).MoveToOuterDisposeScope();
    }
}
