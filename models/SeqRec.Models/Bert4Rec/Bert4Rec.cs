using SeqRec.Data;
using SeqRec.Kernels;
using SeqRec.Modeling;
using SeqRec.Models.Layers;
using SeqRec.Parity;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TransformerEncoder = SeqRec.Models.Layers.TransformerEncoder;

namespace SeqRec.Models;

/// <summary>
/// BERT4Rec (Sun et al., CIKM 2019) as RecBole 1.2.1 computes it: <c>dropout(LayerNorm(item_emb + pos_emb))</c>
/// through bidirectional post-LN transformer layers (only padding keys are hidden), then
/// <c>output_ln(gelu(output_ffn(h)))</c> at every position. Training predicts the items that
/// <see cref="MaskItemSequence"/> replaced by the mask token (id n_items, one extra row of <c>item_embedding</c>);
/// scores are dot products with the n_items real embeddings plus <c>output_bias</c>. Evaluation appends the mask
/// token to the history and reads the output there.
/// </summary>
[Model("bert4rec", DisplayName = "BERT4Rec",
    Paper = "Sun et al., BERT4Rec: Sequential Recommendation with Bidirectional Encoder Representations from Transformer, CIKM 2019",
    Remarks = "As RecBole 1.2.1: evaluation writes the mask token after the last item and then drops the sequence's first column, so every history loses its first item (keep_first_item = true keeps it unless the history is full); in training a masked first item never counts in the loss.")]
public sealed class Bert4Rec : ItemEmbeddingRecommender, IReferenceOutputs
{
    private readonly Embedding position_embedding;
    private readonly TransformerEncoder trm_encoder;
    private readonly LayerNorm LayerNorm;
    private readonly HashedDropout dropout;
    private readonly Linear output_ffn;
    private readonly LayerNorm output_ln;
    private readonly Parameter output_bias;
    private readonly double _layerNormEps;
    private readonly bool _keepFirstItem;
    private readonly BatchNeeds _needs;

    public Bert4Rec(Bert4RecConfig config, ModelContext context)
        : base(nameof(Bert4Rec), context, config.HiddenSize, config.LossType, extraItemRows: 1)
    {
        Masking = new MaskItemSequence(context.NItems, context.MaxSeqLength, config.MaskRatio, config.FtRatio);
        _needs = new BatchNeeds { TrainingTransform = Masking };
        position_embedding = nn.Embedding(context.MaxSeqLength, config.HiddenSize);
        trm_encoder = new TransformerEncoder(config.Transformer);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new HashedDropout(config.HiddenDropoutProb);
        output_ffn = nn.Linear(config.HiddenSize, config.HiddenSize);
        output_ln = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        output_bias = nn.Parameter(zeros(context.NItems));
        _layerNormEps = config.LayerNormEps;
        _keepFirstItem = config.KeepFirstItem;
        RegisterComponents();
        InitializeWeights(config.InitializerRange);
    }

    /// <summary>The training transform: masked sequences and the positions, items and negatives to predict.</summary>
    public MaskItemSequence Masking { get; }

    /// <summary>The mask token's id (n_items); its embedding is the last row of <c>item_embedding</c>.</summary>
    public long MaskToken => Context.NItems;

    // Negatives come from the masking transform (Neg_item_id), never from the sampler.
    public override BatchNeeds Needs => _needs;

    /// <summary>The output at every position of the evaluation input (<see cref="TestSequence"/>), [B, L, H].</summary>
    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        return Encode(TestSequence(batch.ItemSeq, batch.ItemSeqLen)).MoveToOuterDisposeScope();
    }

    /// <summary>RecBole's <c>forward</c> of any sequence [B, L] (right-padded; mask tokens allowed) → [B, L, H].</summary>
    public Tensor Encode(Tensor itemSeq)
    {
        using var scope = NewDisposeScope();
        using var mask = CausalPaddingMask.Bidirectional(itemSeq);
        return Head(trm_encoder.call(Embed(itemSeq), mask)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The evaluation input: the history with the mask token after its last item. As RecBole 1.2.1 by default (a 0
    /// column appended, the token written at index len, column 0 dropped), so the token sits at len - 1 and the first
    /// item is gone; with <c>keep_first_item</c> only full histories shift left.
    /// </summary>
    public Tensor TestSequence(Tensor itemSeq, Tensor itemSeqLen)
    {
        using var scope = NewDisposeScope();
        var (rows, width) = (itemSeq.shape[0], itemSeq.shape[1]);
        var extended = cat([itemSeq, zeros(rows, 1, itemSeq.dtype, itemSeq.device)], 1);
        extended.scatter_(1, itemSeqLen.to_type(ScalarType.Int64).view(rows, 1), full(rows, 1, MaskToken, itemSeq.dtype, itemSeq.device));
        var shifted = extended.narrow(1, 1, width);
        if (!_keepFirstItem) return shifted.contiguous().MoveToOuterDisposeScope();
        var isFull = itemSeqLen.view(rows, 1).ge(width);
        return where(isFull, shifted, extended.narrow(1, 0, width)).MoveToOuterDisposeScope();
    }

    /// <summary>Where the mask token of <see cref="TestSequence"/> sits, [B].</summary>
    private Tensor TestPosition(Tensor itemSeq, Tensor itemSeqLen)
    {
        var length = itemSeqLen.to_type(ScalarType.Int64);
        return _keepFirstItem ? length.clamp_max(itemSeq.shape[1] - 1) : length - 1;
    }

    /// <summary>The output at the mask token of the evaluation input, [B, H]; the last layer computes only that row.</summary>
    private Tensor TestOutput(Batch batch)
    {
        using var scope = NewDisposeScope();
        var sequence = TestSequence(batch.ItemSeq, batch.ItemSeqLen);
        using var mask = CausalPaddingMask.Bidirectional(sequence);
        var rows = trm_encoder.ForwardAt(Embed(sequence), mask, TestPosition(batch.ItemSeq, batch.ItemSeqLen));
        return Head(rows).MoveToOuterDisposeScope();
    }

    public override Tensor FullSortScores(Batch batch)
    {
        using var scope = NewDisposeScope();
        return TestOutput(batch).matmul(ItemEmbeddingWeight.t()).add_(output_bias).MoveToOuterDisposeScope();
    }

    public override Tensor Predict(Batch batch, Tensor items)
    {
        using var scope = NewDisposeScope();
        var output = TestOutput(batch);
        var candidates = ItemEmbeddingWeight.index_select(0, items.flatten()).view([.. items.shape, EmbeddingSize]);
        var scores = items.dim() == 1
            ? (output * candidates).sum(-1)
            : candidates.matmul(output.unsqueeze(-1)).squeeze(-1);
        return scores.add_(output_bias.index_select(0, items.flatten()).view(items.shape)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// RecBole's masked-item loss over the positions <c>MASK_INDEX</c> > 0: CE over the n_items real items plus
    /// <c>output_bias</c> against <c>Pos_item_id</c>, or BPR -log(1e-14 + sigmoid(pos - neg)) against
    /// <c>Neg_item_id</c>, averaged over those positions. Only their rows go through the output head. A batch without
    /// such a position gives 0, where RecBole's 0 / 0 gives NaN.
    /// </summary>
    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var maskedSeq = batch.Get(MaskItemSequence.MaskedItemSeq);
        var maskIndex = batch.Get(MaskItemSequence.MaskIndex);
        var (rows, width) = (maskedSeq.shape[0], maskedSeq.shape[1]);
        using var mask = CausalPaddingMask.Bidirectional(maskedSeq);
        var hidden = trm_encoder.call(Embed(maskedSeq), mask);

        var targets = maskIndex.gt(0).flatten().nonzero().squeeze(1);
        // RecBole divides by the number of predicted positions, so a batch without any gives NaN and stops its
        // training; here such a batch (possible only with tiny batches) contributes a zero loss instead.
        if (targets.shape[0] == 0) return output_bias.sum().mul(0).MoveToOuterDisposeScope();
        var rowOffsets = arange(rows, ScalarType.Int64, maskIndex.device).mul_(width).view(rows, 1);
        var positions = (maskIndex + rowOffsets).flatten().index_select(0, targets);
        var output = Head(hidden.view(rows * width, -1).index_select(0, positions));
        var pos = batch.Get(MaskItemSequence.PosItems).flatten().index_select(0, targets);
        var weight = ItemEmbeddingWeight;
        Tensor loss;
        if (LossType == LossType.BPR)
        {
            var neg = batch.Get(MaskItemSequence.NegItems).flatten().index_select(0, targets);
            var posScore = (output * weight.index_select(0, pos)).sum(-1) + output_bias.index_select(0, pos);
            var negScore = (output * weight.index_select(0, neg)).sum(-1) + output_bias.index_select(0, neg);
            loss = -(sigmoid(posScore - negScore) + 1e-14).log().mean();
        }
        else
        {
            var logits = output.matmul(weight.t()).add_(output_bias);
            loss = nn.functional.cross_entropy(logits, pos);
        }
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>The reference's <c>forward_masked</c>: <see cref="Encode"/> of the training input <c>Mask_item_id_list</c>.</summary>
    public Tensor? ReferenceOutput(string name, Batch batch) =>
        name == "forward_masked" ? Encode(batch.Get(MaskItemSequence.MaskedItemSeq)) : null;

    private Tensor Embed(Tensor itemSeq) =>
        dropout.ApplyInPlace(NormalizedItemEmbeddings(itemSeq, position_embedding.weight, LayerNorm, _layerNormEps));

    /// <summary>The output head: <c>output_ln(gelu(output_ffn(h)))</c>, erf GELU whatever <c>hidden_act</c> is.</summary>
    private Tensor Head(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return output_ln.call(nn.functional.gelu(output_ffn.call(hidden))).MoveToOuterDisposeScope();
    }
}
