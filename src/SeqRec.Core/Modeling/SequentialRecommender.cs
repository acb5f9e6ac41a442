using SeqRec.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Modeling;

/// <summary>
/// The contract every next-item model implements and the trainer, the evaluator and the parity checker rely on:
/// RecBole's <c>forward</c>, <c>calculate_loss</c>, <c>predict</c> and <c>full_sort_predict</c>, each given the whole
/// <see cref="Batch"/>, so that a model reads the fields it needs and adding a field changes no signature. A model
/// declares those fields in <see cref="Needs"/>. Most models score against their item embedding and derive from
/// <see cref="ItemEmbeddingRecommender"/>, which implements everything but <see cref="Forward"/>.
/// </summary>
public abstract class SequentialRecommender : nn.Module
{
    /// <summary>The padding item id; its embedding row never receives a gradient.</summary>
    public const int PaddingId = 0;

    protected SequentialRecommender(string name, ModelContext context) : base(name)
    {
        if (context.NItems < 2) throw new SeqRecException($"n_items must count the padding item and at least one real item, got {context.NItems}");
        if (context.MaxSeqLength < 1) throw new SeqRecException($"max_item_list_length must be at least 1, got {context.MaxSeqLength}");
        Context = context;
    }

    public ModelContext Context { get; }

    /// <summary>Elements of the parameters that training updates (what RecBole logs as trainable parameters).</summary>
    public long TrainableParameterCount => parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>What this model's batches must carry besides sequences, lengths and targets.</summary>
    public virtual BatchNeeds Needs => BatchNeeds.None;

    /// <summary>RecBole's <c>forward</c>: the model's main output (for most models the state at the last item, [B, H]).</summary>
    public abstract Tensor Forward(Batch batch);

    /// <summary>The mean training loss of a batch, with its named terms where it has several.</summary>
    public abstract LossOutput CalculateLoss(Batch batch);

    /// <summary>Scores of every item, [B, n_items]; nothing masked (the evaluator masks padding).</summary>
    public abstract Tensor FullSortScores(Batch batch);

    /// <summary>
    /// Scores of the given candidates: <paramref name="items"/> [B] gives [B], [B, N] gives [B, N]. By default read
    /// from <see cref="FullSortScores"/>; models with a cheaper or different per-item score override it.
    /// </summary>
    public virtual Tensor Predict(Batch batch, Tensor items)
    {
        using var scope = NewDisposeScope();
        var all = FullSortScores(batch);
        var scores = items.dim() == 1 ? all.gather(1, items.unsqueeze(1)).squeeze(1) : all.gather(1, items);
        return scores.MoveToOuterDisposeScope();
    }

    /// <summary>Switches every <see cref="IRecomputesActivations"/> module of the model to recompute in backward.</summary>
    /// <returns>How many modules were switched.</returns>
    public int UseActivationRecomputation()
    {
        RecomputeActivations = true;
        var switched = 0;
        foreach (var (_, module) in named_modules())
            if (module is IRecomputesActivations recomputing) { recomputing.RecomputeActivations = true; switched++; }
        return switched;
    }

    /// <summary>Switches every <see cref="ISelectsKernels"/> module of the model to <paramref name="kernels"/>.</summary>
    /// <returns>How many modules were switched.</returns>
    public int UseKernels(KernelChoice kernels)
    {
        Kernels = kernels;
        var switched = 0;
        foreach (var (_, module) in named_modules())
            if (module is ISelectsKernels selecting) { selecting.Kernels = kernels; switched++; }
        return switched;
    }

    /// <summary>Set by <see cref="UseKernels"/>, for the model's own calls of shared kernels (e.g. <c>GruStack.Run</c>).</summary>
    protected KernelChoice Kernels { get; private set; }

    /// <summary>Set by <see cref="UseActivationRecomputation"/>: the model's own layers recompute too.</summary>
    protected bool RecomputeActivations { get; private set; }

    /// <summary>Checks that the data gave users, for a model with user embeddings (RecBole's <c>n_users</c>).</summary>
    protected void RequireUsers()
    {
        if (Context.NUsers < 1)
            throw new SeqRecException($"{GetName()} needs user ids, but the model context has no users (n_users = {Context.NUsers})");
    }

    /// <summary>Checks that <paramref name="itemSeq"/> is [B, L] with L at most max_item_list_length.</summary>
    protected void CheckItemSeq(Tensor itemSeq)
    {
        if (itemSeq.dim() != 2 || itemSeq.shape[1] > Context.MaxSeqLength)
            throw new ArgumentException($"item_seq must be [B, L] with L <= max_item_list_length ({Context.MaxSeqLength}), got [{string.Join(", ", itemSeq.shape)}]", nameof(itemSeq));
    }

    /// <summary>
    /// RecBole's <c>_init_weights</c> over every submodule: Linear and Embedding weights N(0, <paramref name="std"/>)
    /// (the padding row too), Linear biases 0, LayerNorm weight 1 and bias 0. Other parameters are left as their
    /// module initialised them. Call at the end of the subclass constructor, after <c>RegisterComponents()</c>.
    /// </summary>
    protected void InitializeWeights(double std)
    {
        using var noGrad = no_grad();
        foreach (var module in modules())
        {
            switch (module)
            {
                case Linear linear:
                    linear.weight!.normal_(0, std);
                    linear.bias?.zero_();
                    break;
                case Embedding embedding:
                    embedding.weight!.normal_(0, std);
                    break;
                case LayerNorm norm:
                    norm.weight!.fill_(1);
                    norm.bias!.zero_();
                    break;
            }
        }
    }

    /// <summary>RecBole's <c>gather_indexes</c>: the rows of <paramref name="output"/> [B, L, H] at len - 1 → [B, H].</summary>
    protected static Tensor GatherLast(Tensor output, Tensor itemSeqLen)
    {
        using var scope = NewDisposeScope();
        var index = (itemSeqLen - 1).view(-1, 1, 1).expand(-1, 1, output.shape[2]);
        return output.gather(1, index).squeeze(1).MoveToOuterDisposeScope();
    }
}
