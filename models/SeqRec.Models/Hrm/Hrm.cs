using SeqRec.Data;
using SeqRec.Kernels;
using SeqRec.Modeling;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// HRM (Wang et al., SIGIR 2015) as RecBole 1.2.1 computes it: the sequence is re-aligned to left padding, the first
/// layer pools the last <c>high_order</c> item embeddings (padding rows included), the second pools that vector with
/// the user embedding; scores are dot products with the item embeddings. Average pooling writes
/// <c>min(length, high_order)</c> into the batch's lengths in place, as RecBole does with the interaction's tensor.
/// </summary>
[Model("hrm", DisplayName = "HRM", Paper = "Wang et al., Learning Hierarchical Representation Model for Next Basket Recommendation, SIGIR 2015",
    Remarks = "As RecBole 1.2.1: with average pooling, the sum runs over all L positions (padding rows included), and min(len, high_order) is written into the batch's lengths, which later scores of the same batch see.")]
public sealed class Hrm : ItemEmbeddingRecommender
{
    private readonly Embedding user_embedding;
    private readonly HashedDropout dropout;
    private readonly int _highOrder;
    private readonly HrmPooling _layer1;
    private readonly HrmPooling _layer2;

    public Hrm(HrmConfig config, ModelContext context)
        : base(nameof(Hrm), context, config.EmbeddingSize, config.LossType)
    {
        RequireUsers();
        if (config.HighOrder > context.MaxSeqLength)
            throw new SeqRecException($"high_order ({config.HighOrder}) can't be longer than max_item_list_length ({context.MaxSeqLength})");
        _highOrder = config.HighOrder;
        _layer1 = config.PoolingTypeLayer_1;
        _layer2 = config.PoolingTypeLayer_2;
        user_embedding = nn.Embedding(context.NUsers, config.EmbeddingSize);
        dropout = new HashedDropout(config.DropoutProb);
        RegisterComponents();
        using var noGrad = no_grad();
        nn.init.xavier_normal_(ItemEmbedding.weight!);
        nn.init.xavier_normal_(user_embedding.weight!);
    }

    public override BatchNeeds Needs => base.Needs with { UserIds = true };

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var itemSeqLen = batch.ItemSeqLen;
        var leftPadded = SequenceAlignment.LeftPadded(batch.ItemSeq, itemSeqLen);
        var width = leftPadded.shape[1];
        var user = dropout.call(user_embedding.call(batch.Users));
        Tensor layer1;
        if (_layer1 == HrmPooling.Max)
        {
            // Only the last high_order positions are pooled, so only they are looked up.
            var recent = Math.Min(_highOrder, width);
            layer1 = EmbedItems(leftPadded.narrow(1, width - recent, recent)).max(1).values;
        }
        else
        {
            var emb = EmbedItems(leftPadded);
            itemSeqLen.clamp_max_(_highOrder);
            layer1 = emb.sum(1) / itemSeqLen.unsqueeze(1).to_type(emb.dtype);
        }
        var hybrid = dropout.call(stack([user, layer1], 1));
        var output = _layer2 == HrmPooling.Max ? hybrid.max(1).values : hybrid.mean([1]);
        return output.MoveToOuterDisposeScope();
    }
}
