using SeqRec.Data;
using SeqRec.Kernels;
using SeqRec.Modeling;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// NPE (Nguyen and Takasu, IJCAI 2018) as RecBole 1.2.1 computes it: <c>relu(user_emb) + relu(sum of the item
/// embeddings over every position of the right-padded sequence)</c>, each followed by dropout; items are scored with
/// <c>relu(item_embedding)</c>. RecBole's <c>item_embedding</c> has no padding row (padding positions add row 0 and
/// row 0 trains); <c>embedding_seq_item</c> is created and initialised but used nowhere, and is kept for the state dict.
/// </summary>
[Model("npe", DisplayName = "NPE", Paper = "Nguyen and Takasu, NPE: Neural Personalized Embedding for Collaborative Filtering, IJCAI 2018",
    Remarks = "As RecBole 1.2.1: candidates are relu(item_embedding.weight), and embedding_seq_item is kept in the state dict although unused.")]
public sealed class Npe : SequentialRecommender
{
    private readonly Embedding user_embedding;
    private readonly Embedding item_embedding;
    private readonly Embedding embedding_seq_item;
    private readonly HashedDropout dropout;

    public Npe(NpeConfig config, ModelContext context) : base(nameof(Npe), context)
    {
        RequireUsers();
        EmbeddingSize = config.EmbeddingSize;
        LossType = config.LossType;
        user_embedding = nn.Embedding(context.NUsers, config.EmbeddingSize);
        item_embedding = nn.Embedding(context.NItems, config.EmbeddingSize);
        embedding_seq_item = nn.Embedding(context.NItems, config.EmbeddingSize, padding_idx: PaddingId);
        dropout = new HashedDropout(config.DropoutProb);
        RegisterComponents();
        using var noGrad = no_grad();
        foreach (var embedding in new[] { user_embedding, item_embedding, embedding_seq_item })
            nn.init.xavier_normal_(embedding.weight!);
    }

    public int EmbeddingSize { get; }

    public LossType LossType { get; }

    public override BatchNeeds Needs => new() { UserIds = true, Negatives = LossType == LossType.BPR };

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        CheckItemSeq(batch.ItemSeq);
        var user = dropout.call(nn.functional.relu(user_embedding.call(batch.Users)));
        var history = dropout.call(nn.functional.relu(EmbeddingSum.Apply(batch.ItemSeq, item_embedding.weight!, Kernels)));
        return (user + history).MoveToOuterDisposeScope();
    }

    /// <summary>The candidates' embeddings as NPE scores them: <c>relu(item_embedding)</c>.</summary>
    private Tensor Candidates(Tensor items) => nn.functional.relu(item_embedding.call(items));

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var seqOutput = Forward(batch);
        Tensor loss;
        if (LossType == LossType.BPR)
        {
            var pos = (seqOutput * Candidates(batch.PosItems)).sum(-1);
            var neg = (seqOutput * Candidates(batch.Negatives)).sum(-1);
            loss = -(torch.sigmoid(pos - neg) + 1e-10).log().mean();
        }
        else
        {
            loss = nn.functional.cross_entropy(seqOutput.matmul(nn.functional.relu(item_embedding.weight!).t()), batch.PosItems);
        }
        return new LossOutput(loss.MoveToOuterDisposeScope());
    }

    public override Tensor FullSortScores(Batch batch)
    {
        using var scope = NewDisposeScope();
        return Forward(batch).matmul(nn.functional.relu(item_embedding.weight!).t()).MoveToOuterDisposeScope();
    }

    public override Tensor Predict(Batch batch, Tensor items)
    {
        using var scope = NewDisposeScope();
        var seqOutput = Forward(batch);
        var candidates = Candidates(items);                                              // [B, E] or [B, N, E]
        var scores = items.dim() == 1
            ? (seqOutput * candidates).sum(-1)
            : candidates.matmul(seqOutput.unsqueeze(-1)).squeeze(-1);
        return scores.MoveToOuterDisposeScope();
    }
}
