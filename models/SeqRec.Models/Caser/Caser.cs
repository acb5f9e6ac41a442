using SeqRec.Data;
using SeqRec.Kernels;
using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// Caser (Tang and Wang, WSDM 2018) as RecBole 1.2.1 computes it: the whole right-padded item sequence as an L x E
/// image, a vertical convolution over all L positions and horizontal convolutions of every height 1..L (ReLU, max over
/// time), <c>relu(fc1(dropout(features)))</c> joined with the user embedding, <c>relu(fc2(.))</c>. Padding positions
/// take part with their (non-zero) embedding row 0, as in RecBole.
/// </summary>
[Model("caser", DisplayName = "Caser", Paper = "Tang and Wang, Personalized Top-N Sequential Recommendation via Convolutional Sequence Embedding, WSDM 2018",
    Remarks = "As RecBole 1.2.1: the convolutions run over the whole right-padded sequence, and one horizontal filter per height 1..L makes the cost grow with L cubed (the shipped config uses L = 10).")]
public sealed class Caser : ItemEmbeddingRecommender
{
    private readonly Embedding user_embedding;
    private readonly Conv2d conv_v;
    private readonly ModuleList<Conv2d> conv_h;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly HashedDropout dropout;
    private readonly int _nv;
    private readonly double _regWeight;

    public Caser(CaserConfig config, ModelContext context)
        : base(nameof(Caser), context, config.EmbeddingSize, config.LossType)
    {
        RequireUsers();
        var (e, l) = (config.EmbeddingSize, context.MaxSeqLength);
        _nv = config.Nv;
        _regWeight = config.RegWeight;
        user_embedding = nn.Embedding(context.NUsers, e, padding_idx: PaddingId);
        conv_v = nn.Conv2d(1, config.Nv, (l, 1));
        conv_h = nn.ModuleList<Conv2d>();
        for (var height = 1; height <= l; height++)
            conv_h.Add(nn.Conv2d(1, config.Nh, (height, e)));
        fc1 = nn.Linear(config.Nv * e + config.Nh * l, e);
        fc2 = nn.Linear(2 * e, e);
        dropout = new HashedDropout(config.DropoutProb);
        RegisterComponents();
        InitializeCaserWeights(e);
    }

    public override BatchNeeds Needs => base.Needs with { UserIds = true };

    /// <summary>RecBole's initialisation: embeddings N(0, 1/E) (padding rows included), Linear xavier_normal_ with bias 0, convolutions as constructed.</summary>
    private void InitializeCaserWeights(int embeddingSize)
    {
        using var noGrad = no_grad();
        foreach (var embedding in new[] { ItemEmbedding, user_embedding })
            embedding.weight!.normal_(0, 1.0 / embeddingSize);
        foreach (var linear in new[] { fc1, fc2 })
        {
            nn.init.xavier_normal_(linear.weight!);
            linear.bias!.zero_();
        }
    }

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var itemSeq = PadToMaxLength(batch.ItemSeq);
        var x = EmbedItems(itemSeq).unsqueeze(1);                      // [B, 1, L, E]
        var batchSize = x.shape[0];
        var outV = conv_v.call(x).reshape(batchSize, _nv * EmbeddingSize); // [B, nv, 1, E] channel-major
        var pooled = new List<Tensor>(conv_h.Count + 1) { outV };
        if (Kernels == KernelChoice.Plain)
        {
            foreach (var conv in conv_h)
            {
                var convOut = nn.functional.relu(conv.call(x).squeeze(3));   // [B, nh, L - h + 1]
                pooled.Add(nn.functional.max_pool1d(convOut, convOut.shape[2]).squeeze(2));
            }
        }
        else
        {
            pooled.AddRange(HorizontalFeatures(x.squeeze(1)));
        }
        var features = dropout.call(cat(pooled, 1));
        var z = nn.functional.relu(fc1.call(features));
        var user = user_embedding.call(batch.Users);
        return nn.functional.relu(fc2.call(cat([z, user], 1))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The horizontal filters as 1-D convolutions over time with the E embedding columns as input channels: the same
    /// sums as RecBole's (h x E) 2-D filters over a one-channel image, in the layout libtorch's convolution kernels are
    /// fast for (a filter of height h reads h·E inputs per output instead of sliding over a 1-wide image); and
    /// <c>relu(max_t)</c> instead of <c>max_t(relu)</c>, equal since ReLU is monotonic, on [B, nh] instead of
    /// [B, nh, L - h + 1].
    /// </summary>
    private IEnumerable<Tensor> HorizontalFeatures(Tensor embedded)
    {
        var channels = embedded.transpose(1, 2).contiguous();                 // [B, E, L]
        foreach (var conv in conv_h)
        {
            var filters = conv.weight!.squeeze(1).transpose(1, 2).contiguous();   // [nh, 1, h, E] -> [nh, E, h]
            var (maxima, _) = nn.functional.conv1d(channels, filters, conv.bias).max(2);
            yield return nn.functional.relu(maxima);
        }
    }

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var main = base.CalculateLoss(batch).Total;
        var reg = user_embedding.weight!.norm() + ItemEmbedding.weight!.norm() + conv_v.weight!.norm() + fc1.weight!.norm() + fc2.weight!.norm();
        Tensor? regH = null;
        foreach (var conv in conv_h)
            regH = regH is null ? conv.weight!.norm() : regH + conv.weight!.norm();
        var regTotal = _regWeight * reg + _regWeight * regH!;
        var total = main + regTotal;
        return new LossOutput(total.MoveToOuterDisposeScope(),
            [new LossPart("main", main.MoveToOuterDisposeScope()), new LossPart("reg", regTotal.MoveToOuterDisposeScope())]);
    }

    /// <summary>RecBole's sequences are always max_item_list_length wide; the vertical filter spans exactly that.</summary>
    private Tensor PadToMaxLength(Tensor itemSeq)
    {
        CheckItemSeq(itemSeq);
        var missing = Context.MaxSeqLength - itemSeq.shape[1];
        return missing == 0 ? itemSeq : nn.functional.pad(itemSeq, [0, missing], value: PaddingId);
    }
}
