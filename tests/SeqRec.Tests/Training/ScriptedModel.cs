using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Tests.Training;

/// <summary>
/// A test-only recommender whose evaluation rank is a weight: every sample's target must be item
/// <see cref="Target"/>, and it ranks at <c>rank</c> (items 1..rank-1 score higher). Training leaves the weight
/// alone (zero gradient), so a test sets it per epoch to script the valid metric; checkpoints save it. The loss can
/// be made NaN at a given training step.
/// </summary>
internal sealed class ScriptedModel : ItemEmbeddingRecommender
{
    public const int NItems = 21;
    public const int Target = NItems - 1;

    private readonly Parameter rank;
    private readonly int? _nanAtStep;
    private int _steps;

    public ScriptedModel(int initialRank = 1, int? nanAtStep = null)
        : base(nameof(ScriptedModel), new ModelContext(NItems, 4), 1, LossType.CE)
    {
        rank = nn.Parameter(tensor(new float[] { initialRank }));
        _nanAtStep = nanAtStep;
        RegisterComponents();
    }

    public int Rank
    {
        get => (int)rank.item<float>();
        set
        {
            using var noGrad = no_grad();
            rank.fill_(value);
        }
    }

    public override Tensor ItemEmbeddingWeight => rank;

    public override Tensor Forward(Batch batch) => zeros(batch.ItemSeq.shape[0], 1);

    public override LossOutput CalculateLoss(Batch batch)
    {
        var step = _steps++;
        var loss = (rank * 0).sum();
        return step == _nanAtStep ? loss + float.NaN : loss;
    }

    public override Tensor FullSortScores(Batch batch)
    {
        using var scope = NewDisposeScope();
        var scores = arange(NItems, dtype: ScalarType.Float32).neg().unsqueeze(0).repeat(batch.ItemSeq.shape[0], 1);
        scores.select(1, Target).fill_(-(rank.item<float>() - 0.5f));
        return scores.MoveToOuterDisposeScope();
    }
}
