using SeqRec.Data;

namespace SeqRec.Training;

/// <summary>
/// The data a training run reads. Batch sources are delegates so the trainer does not depend on a sampler; every
/// batch they yield is disposed by the trainer or evaluator once used.
/// </summary>
/// <param name="Train">The training samples (their count sizes the progress display).</param>
/// <param name="TrainBatches">
/// The training batches of an epoch (0-based). Their order and negatives must depend only on (seed, epoch): a resumed
/// run asks for the remaining epochs and must get the batches an uninterrupted run would have got.
/// </param>
/// <param name="Valid">Validation samples; null or empty to train without validation (no early stopping).</param>
/// <param name="Test">Test samples; null or empty to skip the final test.</param>
/// <param name="EvalBatches">The batches of an evaluation set, in sample order.</param>
public sealed record TrainingData(
    SampleSet Train,
    Func<int, IEnumerable<Batch>> TrainBatches,
    SampleSet? Valid,
    SampleSet? Test,
    Func<SampleSet, IEnumerable<Batch>> EvalBatches);
