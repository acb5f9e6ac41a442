using SeqRec;
using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MyModel;

/// <summary>
/// Attention pooling over the item sequence. Each position gets the weight
/// <c>softmax_i(w · tanh(A x_i + B x_last))</c>, where <c>x_i</c> is the item embedding plus a position embedding and
/// <c>x_last</c> the one at the last real item; the weighted sum and <c>x_last</c> go through a linear layer. The base
/// class owns the item embedding, the CE and BPR losses and the scoring: a model writes its encoder only.
/// </summary>
[Model("mymodel", DisplayName = "MyModel", Paper = "")]
public sealed class MyModelRecommender : SequentialRecommender<MyModelConfig>
{
    // Submodule fields are state-dict keys: name them as the RecBole model you compare against does.
    private readonly Embedding position_embedding;
    private readonly Linear item_projection;
    private readonly Linear last_projection;
    private readonly Linear attention_score;
    private readonly Linear output_projection;
    private readonly Dropout dropout;

    public MyModelRecommender(MyModelConfig config, ModelContext context)
        : base(nameof(MyModelRecommender), config, context, config.HiddenSize, config.LossType)
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

    /// <summary><paramref name="itemSeq"/> [B, L] right-padded item ids, <paramref name="itemSeqLen"/> [B] → [B, hidden].</summary>
    public override Tensor Encode(Tensor itemSeq, Tensor itemSeqLen)
    {
        using var scope = NewDisposeScope();
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
