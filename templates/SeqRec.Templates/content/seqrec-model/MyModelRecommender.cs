using SeqRec;
using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MyModel;

/// <summary>
/// Attention pooling over the item sequence. Each position gets the weight
/// <c>softmax_i(w · tanh(A x_i + B x_last))</c>, where <c>x_i</c> is the item embedding plus a position embedding and
/// <c>x_last</c> the one at the last real item; the weighted sum and <c>x_last</c> go through a linear layer. The base
/// class owns the item embedding, the CE and BPR losses (it asks the data for negatives when the loss is BPR) and the
/// scoring: a model writes its encoder, <see cref="Forward"/>, only.
/// </summary>
[Model("mymodel", DisplayName = "MyModel", Paper = "")]
public sealed class MyModelRecommender : ItemEmbeddingRecommender
{
    // Submodule fields are state-dict keys: name them as the RecBole model you compare against does.
    private readonly Embedding position_embedding;
    private readonly Linear item_projection;
    private readonly Linear last_projection;
    private readonly Linear attention_score;
    private readonly Linear output_projection;
    private readonly Dropout dropout;

    public MyModelRecommender(MyModelConfig config, ModelContext context)
        : base(nameof(MyModelRecommender), context, config.HiddenSize, config.LossType)
    {
        var hidden = config.HiddenSize;
        position_embedding = nn.Embedding(context.MaxSeqLength, hidden);
        item_projection = nn.Linear(hidden, hidden, hasBias: false);
        last_projection = nn.Linear(hidden, hidden);
        attention_score = nn.Linear(hidden, 1, hasBias: false);
        output_projection = nn.Linear(2 * hidden, hidden);
        dropout = nn.Dropout(config.DropoutProb);
        RegisterComponents();
        InitializeWeights(config.InitializerRange);
    }

    /// <summary>The batch's right-padded item ids [B, L] and real lengths [B] → one vector per sequence [B, hidden].</summary>
    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var (itemSeq, itemSeqLen) = (batch.ItemSeq, batch.ItemSeqLen);
        var positions = arange(itemSeq.shape[1], dtype: ScalarType.Int64, device: itemSeq.device);
        var x = dropout.call(EmbedItems(itemSeq) + position_embedding.call(positions));            // [B, L, H]
        var last = GatherLast(x, itemSeqLen);                                                      // [B, H]
        var scores = attention_score.call(tanh(item_projection.call(x) + last_projection.call(last).unsqueeze(1)))
            .squeeze(-1)                                                                            // [B, L]
            .masked_fill(itemSeq.eq(PaddingId), float.NegativeInfinity);
        var pooled = (softmax(scores, 1).unsqueeze(-1) * x).sum(1);                                // [B, H]
        return output_projection.call(cat([pooled, last], 1)).MoveToOuterDisposeScope();
    }
}
