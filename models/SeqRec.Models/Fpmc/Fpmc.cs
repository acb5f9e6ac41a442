using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// FPMC (Rendle et al., WWW 2010) as RecBole 1.2.1 computes it, with baskets of one item: the score of item i for
/// user u after last item l is <c>&lt;UI(u), IU(i)&gt; + &lt;IL(i), LI(l)&gt;</c> (matrix factorisation plus a factorised
/// Markov chain), trained with BPR.
/// </summary>
[Model("fpmc", DisplayName = "FPMC", Paper = "Rendle, Freudenthaler and Schmidt-Thieme, Factorizing Personalized Markov Chains for Next-Basket Recommendation, WWW 2010")]
public sealed class Fpmc : SequentialRecommender
{
    private readonly Embedding UI_emb;
    private readonly Embedding IU_emb;
    private readonly Embedding LI_emb;
    private readonly Embedding IL_emb;

    public Fpmc(FpmcConfig config, ModelContext context) : base(nameof(Fpmc), context)
    {
        RequireUsers();
        var size = config.EmbeddingSize;
        UI_emb = nn.Embedding(context.NUsers, size);
        IU_emb = nn.Embedding(context.NItems, size);
        LI_emb = nn.Embedding(context.NItems, size, padding_idx: PaddingId);
        IL_emb = nn.Embedding(context.NItems, size);
        RegisterComponents();
        using var noGrad = no_grad();
        foreach (var table in new[] { UI_emb, IU_emb, LI_emb, IL_emb }) nn.init.xavier_normal_(table.weight!);
    }

    public override BatchNeeds Needs { get; } = new() { UserIds = true, Negatives = true };

    /// <summary>RecBole's <c>forward(user, item_seq, item_seq_len, next_item)</c> with the target as next item: [B] scores.</summary>
    public override Tensor Forward(Batch batch) => Predict(batch, batch.PosItems);

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var pos = Predict(batch, batch.PosItems);
        var neg = Predict(batch, batch.Negatives);
        return (-(sigmoid(pos - neg) + 1e-10).log()).mean().MoveToOuterDisposeScope();
    }

    public override Tensor FullSortScores(Batch batch)
    {
        using var scope = NewDisposeScope();
        var mf = UI_emb.call(batch.Users).matmul(IU_emb.weight!.t());
        var fmc = LastItemEmbedding(batch).matmul(IL_emb.weight!.t());
        return (mf + fmc).MoveToOuterDisposeScope();
    }

    public override Tensor Predict(Batch batch, Tensor items)
    {
        using var scope = NewDisposeScope();
        var user = UI_emb.call(batch.Users);
        var last = LastItemEmbedding(batch);
        if (items.dim() == 2)
        {
            user = user.unsqueeze(1);
            last = last.unsqueeze(1);
        }
        var scores = (user * IU_emb.call(items)).sum(-1) + (IL_emb.call(items) * last).sum(-1);
        return scores.MoveToOuterDisposeScope();
    }

    /// <summary><c>LI_emb</c> of the item at <c>item_seq_len - 1</c>, [B, E].</summary>
    private Tensor LastItemEmbedding(Batch batch)
    {
        using var scope = NewDisposeScope();
        CheckItemSeq(batch.ItemSeq);
        var last = batch.ItemSeq.gather(1, (batch.ItemSeqLen - 1).unsqueeze(1)).squeeze(1);
        return LI_emb.call(last).MoveToOuterDisposeScope();
    }
}
