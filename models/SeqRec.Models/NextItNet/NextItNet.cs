using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>
/// NextItNet (Yuan et al., WSDM 2019) as RecBole 1.2.1 computes it: a stack of residual blocks of dilated causal
/// convolutions over the whole right-padded sequence, and <c>final_layer</c> of the block output at the last position
/// L-1 (after any padding, whose embedding row 0 is non-zero), whatever the sequence's length.
/// </summary>
[Model("nextitnet", DisplayName = "NextItNet", Paper = "Yuan et al., A Simple Convolutional Generative Network for Next Item Recommendation, WSDM 2019",
    Remarks = "As RecBole 1.2.1: the output is read at position L-1, after the padding of every sequence shorter than L; the regulariser sums the un-squared norms of every residual-block weight, LayerNorm weights included.")]
public sealed class NextItNet : ItemEmbeddingRecommender
{
    private readonly ModuleList<NextItNetResidualBlock> residual_blocks;
    private readonly Linear final_layer;
    private readonly double _regWeight;

    public NextItNet(NextItNetConfig config, ModelContext context)
        : base(nameof(NextItNet), context, config.EmbeddingSize, config.LossType)
    {
        _regWeight = config.RegWeight;
        residual_blocks = nn.ModuleList<NextItNetResidualBlock>();
        for (var round = 0; round < config.BlockNum; round++)
            foreach (var dilation in config.Dilations)
                residual_blocks.Add(new NextItNetResidualBlock(config.EmbeddingSize, config.KernelSize, dilation));
        final_layer = nn.Linear(config.EmbeddingSize, config.EmbeddingSize);
        RegisterComponents();
        InitializeNextItNetWeights();
    }

    /// <summary>RecBole's initialisation: embedding U(+-sqrt(1/n_items)) (padding row included), Linear xavier_normal_ with bias 0.1, convolutions and LayerNorms as constructed.</summary>
    private void InitializeNextItNetWeights()
    {
        using var noGrad = no_grad();
        var bound = Math.Sqrt(1.0 / Context.NItems);
        ItemEmbedding.weight!.uniform_(-bound, bound);
        nn.init.xavier_normal_(final_layer.weight!);
        final_layer.bias!.fill_(0.1);
    }

    public override Tensor Forward(Batch batch)
    {
        using var scope = NewDisposeScope();
        var itemSeq = PadToMaxLength(batch.ItemSeq);
        var hidden = EmbedItems(itemSeq);                                  // [B, L, E]
        foreach (var block in residual_blocks)
            hidden = block.call(hidden);
        var last = hidden.select(1, hidden.shape[1] - 1);                  // position L-1
        return final_layer.call(last).MoveToOuterDisposeScope();
    }

    public override LossOutput CalculateLoss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var main = base.CalculateLoss(batch).Total;
        var reg = _regWeight * (ItemEmbedding.weight!.norm() + final_layer.weight!.norm());
        if (_regWeight > 0.0)
        {
            Tensor? blocks = null;
            foreach (var (name, parameter) in residual_blocks.named_parameters())
                if (name.EndsWith("weight", StringComparison.Ordinal))
                    blocks = blocks is null ? parameter.norm() : blocks + parameter.norm();
            if (blocks is not null) reg = reg + _regWeight * blocks;
        }
        var total = main + reg;
        return new LossOutput(total.MoveToOuterDisposeScope(),
            [new LossPart("main", main.MoveToOuterDisposeScope()), new LossPart("reg", reg.MoveToOuterDisposeScope())]);
    }

    /// <summary>RecBole's sequences are always max_item_list_length wide, and the output is read at the last column.</summary>
    private Tensor PadToMaxLength(Tensor itemSeq)
    {
        CheckItemSeq(itemSeq);
        var missing = Context.MaxSeqLength - itemSeq.shape[1];
        return missing == 0 ? itemSeq : nn.functional.pad(itemSeq, [0, missing], value: PaddingId);
    }
}

/// <summary>
/// NextItNet's residual block (b): <c>relu(ln1(conv1(x)))</c> with dilation d, then <c>relu(ln2(conv2(.)))</c> with
/// dilation 2d, plus x. Each convolution is causal: (kernel - 1) x dilation zero columns on the left, none on the right.
/// LayerNorm epsilon 1e-8.
/// </summary>
public sealed class NextItNetResidualBlock : nn.Module<Tensor, Tensor>
{
    private const double LayerNormEps = 1e-8;

    private readonly Conv2d conv1;
    private readonly LayerNorm ln1;
    private readonly Conv2d conv2;
    private readonly LayerNorm ln2;
    private readonly long _pad1;
    private readonly long _pad2;

    public NextItNetResidualBlock(int channels, int kernelSize, int dilation) : base(nameof(NextItNetResidualBlock))
    {
        conv1 = nn.Conv2d(channels, channels, (1, kernelSize), dilation: (dilation, dilation));
        ln1 = nn.LayerNorm(channels, LayerNormEps);
        conv2 = nn.Conv2d(channels, channels, (1, kernelSize), dilation: (2 * dilation, 2 * dilation));
        ln2 = nn.LayerNorm(channels, LayerNormEps);
        _pad1 = (long)(kernelSize - 1) * dilation;
        _pad2 = (long)(kernelSize - 1) * 2 * dilation;
        RegisterComponents();
    }

    /// <param name="x">[B, L, channels]</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var out1 = nn.functional.relu(ln1.call(CausalConv(conv1, x, _pad1)));
        var out2 = nn.functional.relu(ln2.call(CausalConv(conv2, out1, _pad2)));
        return (out2 + x).MoveToOuterDisposeScope();
    }

    /// <summary>[B, L, C] → [B, C, 1, pad + L] → convolution → [B, L, C].</summary>
    private static Tensor CausalConv(Conv2d conv, Tensor x, long pad)
    {
        var image = x.permute(0, 2, 1).unsqueeze(2);
        if (pad > 0) image = nn.functional.pad(image, [pad, 0, 0, 0]);
        return conv.call(image).squeeze(2).permute(0, 2, 1);
    }
}
