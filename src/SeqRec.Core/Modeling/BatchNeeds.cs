using SeqRec.Data;

namespace SeqRec.Modeling;

/// <summary>
/// What a model needs in its batches besides the sequences, lengths and targets. The data pipeline reads it from the
/// model (<see cref="SequentialRecommender.Needs"/>) instead of inferring it from settings such as <c>loss_type</c>.
/// </summary>
public sealed record BatchNeeds
{
    public static BatchNeeds None { get; } = new();

    /// <summary>One uniform negative per training sample (<see cref="Batch.NegItems"/>), e.g. for a BPR loss.</summary>
    public bool Negatives { get; init; }

    /// <summary>The rows' user ids (<see cref="Batch.UserIds"/>), in training and evaluation batches.</summary>
    public bool UserIds { get; init; }

    /// <summary>Adds model-specific fields to every training batch (e.g. BERT4Rec's masked positions).</summary>
    public IBatchTransform? TrainingTransform { get; init; }

    /// <summary>Adds model-specific fields to every evaluation batch.</summary>
    public IBatchTransform? EvaluationTransform { get; init; }
}

/// <summary>
/// A model's own batch preparation. It must be deterministic in its <see cref="BatchOrigin"/>: draw randomness from
/// <c>StableRandom.Derive(origin.Seed, stream, origin.Epoch, origin.BatchIndex)</c>, so a resumed run sees exactly the
/// batches an uninterrupted one would have.
/// </summary>
public interface IBatchTransform
{
    void Apply(Batch batch, BatchOrigin origin);
}

/// <summary>Where a batch comes from: the run's seed, the epoch (-1 for evaluation) and the batch's index in it.</summary>
public readonly record struct BatchOrigin(long Seed, int Epoch, int BatchIndex);
