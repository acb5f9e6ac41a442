using SeqRec.Data;
using SeqRec.Kernels;
using SeqRec.Modeling;
using SeqRec.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// RepeatNet (Ren et al., AAAI 2019) as RecBole 1.2.1 computes it: a GRU over the whole sequence, a gate that splits
/// the probability mass between repeating an item of the session and exploring a new one, a repeat decoder (attention
/// over the session, summed per item id) and an explore decoder (a softmax over the items not in the session).
/// <see cref="Forward"/> returns the mixed distribution over all items, [B, n_items]; the loss is its negative
/// log-likelihood at the target (target 0 ignored).
/// </summary>
[Model("repeatnet", DisplayName = "RepeatNet", Paper = "Ren, Chen, Li, Ren, Chen, Ma and de Rijke, RepeatNet: A Repeat Aware Neural Recommendation Machine for Session-based Recommendation, AAAI 2019",
    Remarks = "As RecBole 1.2.1: with joint_train the repeat/explore term multiplies the [B, 1] labels by the [B] gate probabilities, a [B, B] outer product, so each mean is (sum of labels)(sum of log-probabilities) / B^2; rowwise_repeat_explore_loss = true pairs them row by row. The gate attends over padding positions too.")]
public sealed class RepeatNet : SequentialRecommender
{
    private const double LogEpsilon = 1e-8;

    private readonly Embedding item_matrix;
    private readonly GRU gru;
    private readonly RepeatExploreMechanism repeat_explore_mechanism;
    private readonly RepeatRecommendationDecoder repeat_recommendation_decoder;
    private readonly ExploreRecommendationDecoder explore_recommendation_decoder;
    private readonly bool _jointTrain;
    private readonly bool _rowwiseRepeatExploreLoss;

    public RepeatNet(RepeatNetConfig config, ModelContext context) : base(nameof(RepeatNet), context)
    {
        var hidden = config.HiddenSize;
        item_matrix = nn.Embedding(context.NItems, config.EmbeddingSize, padding_idx: PaddingId);
        gru = nn.GRU(config.EmbeddingSize, hidden, numLayers: 1, bias: true, batchFirst: true);
        repeat_explore_mechanism = new RepeatExploreMechanism(hidden, config.DropoutProb);
        repeat_recommendation_decoder = new RepeatRecommendationDecoder(hidden, context.NItems, config.DropoutProb);
        explore_recommendation_decoder = new ExploreRecommendationDecoder(hidden, context.NItems, config.DropoutProb);
        _jointTrain = config.JointTrain;
        _rowwiseRepeatExploreLoss = config.RowwiseRepeatExploreLoss;
        RegisterComponents();
        InitializeRepeatNetWeights();
    }

    /// <summary>RecBole's <c>_init_weights</c>: xavier-normal embedding (padding row too) and Linear weights, Linear biases 0; the GRU keeps its default.</summary>
    private void InitializeRepeatNetWeights()
    {
        using var noGrad = no_grad();
        nn.init.xavier_normal_(item_matrix.weight!);
        foreach (var module in modules())
        {
            if (module is not Linear linear) continue;
            nn.init.xavier_normal_(linear.weight!);
            linear.bias?.zero_();
        }
    }

    /// <summary>The probability of every item, [B, n_items]: P(repeat) * repeat decoder + P(explore) * explore decoder.</summary>
    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var (prediction, _) = Predictions(batch);
        return prediction.MoveToOuterDisposeScope();
    }

    /// <summary>RecBole's <c>full_sort_predict</c>: the probabilities themselves.</summary>
    public override Tensor FullSortScores(Batch batch) => Forward(batch);

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var (prediction, gate) = Predictions(batch);
        var pos = batch.PosItems;
        var logLikelihood = prediction.add(LogEpsilon).log().gather(1, pos.unsqueeze(1)).squeeze(1);
        var counted = pos.ne(PaddingId);
        var nll = logLikelihood.masked_fill(counted.logical_not(), 0).sum().neg().div(counted.sum().to_type(logLikelihood.dtype));
        if (!_jointTrain) return nll.MoveToOuterDisposeScope();
        var repeatExplore = RepeatExploreLoss(batch.ItemSeq, pos, gate);
        var total = nll + repeatExplore;
        return new LossOutput(total.MoveToOuterDisposeScope(),
            [new LossPart("nll", nll.MoveToOuterDisposeScope()), new LossPart("repeat_explore", repeatExplore.MoveToOuterDisposeScope())]);
    }

    /// <summary>
    /// The gate's log-likelihood of the labels repeat = (target in the session) and explore = 1 - repeat. RecBole
    /// multiplies the labels [B, 1] by the log-probabilities [B]: the mean of that [B, B] outer product is
    /// sum(labels) * sum(log-probabilities) / B^2, computed here without the matrix.
    /// </summary>
    private Tensor RepeatExploreLoss(Tensor itemSeq, Tensor pos, Tensor gate)
    {
        using var scope = NewDisposeScope();
        var repeat = itemSeq.eq(pos.unsqueeze(1)).any(1).to_type(gate.dtype);
        var explore = 1 - repeat;
        var logRepeat = gate.select(1, 0).add(LogEpsilon).log();
        var logExplore = gate.select(1, 1).add(LogEpsilon).log();
        Tensor repeatLoss, exploreLoss;
        if (_rowwiseRepeatExploreLoss)
        {
            repeatLoss = (repeat * logRepeat).mean();
            exploreLoss = (explore * logExplore).mean();
        }
        else
        {
            var pairs = (double)gate.shape[0] * gate.shape[0];
            repeatLoss = repeat.sum() * logRepeat.sum() / pairs;
            exploreLoss = explore.sum() * logExplore.sum() / pairs;
        }
        return ((-repeatLoss - exploreLoss) / 2).MoveToOuterDisposeScope();
    }

    /// <summary>The mixed distribution [B, n_items] and the gate [B, 2] (P(repeat), P(explore)).</summary>
    private (Tensor Prediction, Tensor Gate) Predictions(Batch batch)
    {
        using var scope = NewDisposeScope();
        var itemSeq = batch.ItemSeq;
        CheckItemSeq(itemSeq);
        var all = GruStack.Run(gru, item_matrix.call(itemSeq), Kernels);
        var last = GatherLast(all, batch.ItemSeqLen);
        var padding = itemSeq.eq(PaddingId);
        var gate = repeat_explore_mechanism.call(all, last);
        var repeat = repeat_recommendation_decoder.Forward(all, last, itemSeq, padding);
        var explore = explore_recommendation_decoder.Forward(all, last, itemSeq, padding);
        var prediction = repeat.mul(gate.narrow(1, 0, 1)).add_(explore.mul(gate.narrow(1, 1, 1)));
        return (prediction.MoveToOuterDisposeScope(), gate.MoveToOuterDisposeScope());
    }

    /// <summary>The repeat/explore gate: attention over all L states (padding included) queried by the last state, then a 2-way softmax.</summary>
    private sealed class RepeatExploreMechanism : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly HashedDropout dropout;
        private readonly Linear Wre;
        private readonly Linear Ure;
        private readonly Linear Vre;
        private readonly Linear Wcre;

        public RepeatExploreMechanism(int hidden, double dropoutProb) : base(nameof(RepeatExploreMechanism))
        {
            dropout = new HashedDropout(dropoutProb);
            Wre = nn.Linear(hidden, hidden, hasBias: false);
            Ure = nn.Linear(hidden, hidden, hasBias: false);
            Vre = nn.Linear(hidden, 1, hasBias: false);
            Wcre = nn.Linear(hidden, 2, hasBias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor all, Tensor last)
        {
            using var scope = NewDisposeScope();
            var keys = dropout.ApplyInPlace(Ure.call(all));
            var query = dropout.ApplyInPlace(Wre.call(last)).unsqueeze(1);
            var alpha = Vre.call(keys.add(query).tanh_()).softmax(1);                 // [B, L, 1], no padding mask
            var context = alpha.mul(all).sum(1);
            return Wcre.call(context).softmax(-1).MoveToOuterDisposeScope();
        }
    }

    /// <summary>Attention over the real positions, its weights summed per item id into [B, n_items].</summary>
    private sealed class RepeatRecommendationDecoder : nn.Module
    {
        private readonly HashedDropout dropout;
        private readonly Linear Wr;
        private readonly Linear Ur;
        private readonly Linear Vr;
        private readonly long _nItems;

        public RepeatRecommendationDecoder(int hidden, long nItems, double dropoutProb) : base(nameof(RepeatRecommendationDecoder))
        {
            dropout = new HashedDropout(dropoutProb);
            Wr = nn.Linear(hidden, hidden, hasBias: false);
            Ur = nn.Linear(hidden, hidden, hasBias: false);
            Vr = nn.Linear(hidden, 1);
            _nItems = nItems;
            RegisterComponents();
        }

        public Tensor Forward(Tensor all, Tensor last, Tensor itemSeq, Tensor padding)
        {
            using var scope = NewDisposeScope();
            var keys = dropout.ApplyInPlace(Ur.call(all));
            var query = dropout.ApplyInPlace(Wr.call(last)).unsqueeze(1);
            var alpha = Vr.call(keys.add(query).tanh_()).squeeze(2).masked_fill(padding, -1e9).softmax(-1);   // [B, L]
            var perItem = zeros([itemSeq.shape[0], _nItems], alpha.dtype, alpha.device);
            return perItem.scatter_add(1, itemSeq, alpha).MoveToOuterDisposeScope();
        }
    }

    /// <summary>Attention over the real positions, then a softmax over [context ; last] logits with the session's items at -inf.</summary>
    private sealed class ExploreRecommendationDecoder : nn.Module
    {
        private readonly HashedDropout dropout;
        private readonly Linear We;
        private readonly Linear Ue;
        private readonly Linear Ve;
        private readonly Linear matrix_for_explore;
        private readonly long _nItems;

        public ExploreRecommendationDecoder(int hidden, long nItems, double dropoutProb) : base(nameof(ExploreRecommendationDecoder))
        {
            dropout = new HashedDropout(dropoutProb);
            We = nn.Linear(hidden, hidden);
            Ue = nn.Linear(hidden, hidden);
            Ve = nn.Linear(hidden, 1);
            matrix_for_explore = nn.Linear(2 * hidden, nItems, hasBias: false);
            _nItems = nItems;
            RegisterComponents();
        }

        public Tensor Forward(Tensor all, Tensor last, Tensor itemSeq, Tensor padding)
        {
            using var scope = NewDisposeScope();
            var keys = dropout.ApplyInPlace(Ue.call(all));
            var query = dropout.ApplyInPlace(We.call(last)).unsqueeze(1);
            var alpha = Ve.call(keys.add(query).tanh_()).squeeze(-1).masked_fill(padding, -1e9).softmax(1);   // [B, L]
            var context = alpha.unsqueeze(-1).mul(all).sum(1);
            var logits = dropout.ApplyInPlace(matrix_for_explore.call(cat([context, last], 1)));
            // RecBole adds -inf at every item of the sequence; padding positions point at the first item, so item 0 stays.
            var seenIds = where(itemSeq.gt(PaddingId), itemSeq, itemSeq.narrow(1, 0, 1).expand_as(itemSeq));
            var seen = zeros([itemSeq.shape[0], _nItems], ScalarType.Bool, itemSeq.device)
                .scatter_(1, seenIds, ones_like(seenIds, ScalarType.Bool));
            return logits.masked_fill(seen, double.NegativeInfinity).softmax(1).MoveToOuterDisposeScope();
        }
    }
}
