using SeqRec.Data;
using SeqRec.Kernels;
using SeqRec.Modeling;
using SeqRec.Models.Layers;
using TorchSharp.Modules;
using TransformerEncoder = SeqRec.Models.Layers.TransformerEncoder;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// CORE (Hou et al., SIGIR 2022) as RecBole 1.2.1 computes it: the session is a weighted sum of its own item
/// embeddings (weights from a causal transformer, or the plain mean), L2-normalised, and every item is scored by its
/// cosine similarity with it divided by the temperature. Training drops out the candidate embeddings before
/// normalising them.
/// </summary>
[Model("core", DisplayName = "CORE", Paper = "Hou, Hu, Zhang and Zhao, CORE: Simple and Effective Session-based Recommendation within Consistent Representation Space, SIGIR 2022",
    Remarks = "As RecBole 1.2.1: predict (candidate scores) does not normalise the candidate item embeddings, unlike full-sort scoring and training, so its scores are not cosine similarities / temperature.")]
public sealed class Core : ItemEmbeddingRecommender
{
    private readonly HashedDropout sess_dropout;
    private readonly HashedDropout item_dropout;
    private readonly TransNet? net;
    private readonly double _temperature;

    public Core(CoreConfig config, ModelContext context)
        : base(nameof(Core), context, config.EmbeddingSize, LossType.CE)
    {
        sess_dropout = new HashedDropout(config.SessDropout);
        item_dropout = new HashedDropout(config.ItemDropout);
        net = config.DnnType == CoreDnnType.Trm ? new TransNet(config, context.MaxSeqLength) : null;
        _temperature = config.Temperature;
        RegisterComponents();
        ResetParameters(config.EmbeddingSize);
    }

    /// <summary>RecBole's <c>_reset_parameters</c>: every parameter (LayerNorms and the padding row too) U(-1/sqrt(E), 1/sqrt(E)).</summary>
    private void ResetParameters(int embeddingSize)
    {
        using var noGrad = no_grad();
        var bound = 1.0 / Math.Sqrt(embeddingSize);
        foreach (var parameter in parameters()) parameter.uniform_(-bound, bound);
    }

    /// <summary>The L2-normalised session representation [B, E].</summary>
    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var itemSeq = batch.ItemSeq;
        var x = sess_dropout.call(EmbedItems(itemSeq));
        var alpha = net is null ? AverageWeights(itemSeq, x.dtype) : net.Weights(itemSeq, x);
        return Normalize((alpha * x).sum(1)).MoveToOuterDisposeScope();
    }

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var seqOutput = Forward(batch);
        var candidates = Normalize(item_dropout.call(ItemEmbeddingWeight));
        var logits = seqOutput.matmul(candidates.t()).div_(_temperature);
        return nn.functional.cross_entropy(logits, batch.PosItems).MoveToOuterDisposeScope();
    }

    public override Tensor FullSortScores(Batch batch)
    {
        using var scope = NewDisposeScope();
        return Forward(batch).matmul(Normalize(ItemEmbeddingWeight).t()).div_(_temperature).MoveToOuterDisposeScope();
    }

    /// <summary>RecBole's <c>predict</c>: the candidates' raw (not normalised) embeddings against the session, / temperature.</summary>
    public override Tensor Predict(Batch batch, Tensor items) => base.Predict(batch, items).div_(_temperature);

    /// <summary>dnn_type ave: 1 / length on the real items, 0 on padding, [B, L, 1].</summary>
    private static Tensor AverageWeights(Tensor itemSeq, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var real = itemSeq.gt(PaddingId).to_type(dtype);
        return real.div(real.sum(-1, keepdim: true)).unsqueeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary><c>F.normalize(x, dim=-1)</c>: x / max(||x||, 1e-12) row by row.</summary>
    private static Tensor Normalize(Tensor x)
    {
        using var scope = NewDisposeScope();
        return x.div(x.norm(-1, keepdim: true).clamp_min(1e-12)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// RecBole's <c>TransNet</c>: <c>dropout(LayerNorm(x + positions))</c> through the causal transformer, one score per
    /// position from <c>fn</c>, softmax over the real items.
    /// </summary>
    private sealed class TransNet : nn.Module
    {
        private readonly Embedding position_embedding;
        private readonly TransformerEncoder trm_encoder;
        private readonly LayerNorm LayerNorm;
        private readonly HashedDropout dropout;
        private readonly Linear fn;

        public TransNet(CoreConfig config, int maxSeqLength) : base(nameof(TransNet))
        {
            position_embedding = nn.Embedding(maxSeqLength, config.EmbeddingSize);
            trm_encoder = new TransformerEncoder(config.Transformer);
            LayerNorm = nn.LayerNorm(config.EmbeddingSize, config.LayerNormEps);
            dropout = new HashedDropout(config.HiddenDropoutProb);
            fn = nn.Linear(config.EmbeddingSize, 1);
            RegisterComponents();
        }

        /// <summary>The attention weights [B, L, 1] of the session's items <paramref name="x"/> [B, L, E].</summary>
        public Tensor Weights(Tensor itemSeq, Tensor x)
        {
            using var scope = NewDisposeScope();
            var positions = position_embedding.weight!.narrow(0, 0, itemSeq.shape[1]);
            var input = dropout.ApplyInPlace(LayerNorm.call(x.add(positions)));
            // Scores at padding positions are replaced below, so only the real rows must be exact.
            using var mask = CausalPaddingMask.ForRealRows(itemSeq);
            var scores = fn.call(trm_encoder.call(input, mask));
            return scores.masked_fill(itemSeq.eq(PaddingId).unsqueeze(-1), -9e15).softmax(1).MoveToOuterDisposeScope();
        }
    }
}
