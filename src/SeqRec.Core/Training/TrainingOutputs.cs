using SeqRec.Runs;

namespace SeqRec.Training;

/// <summary>Where a training run writes its best checkpoint and its resume state.</summary>
/// <param name="BestCheckpointPath">The best model, rewritten (atomically) whenever the valid score improves.</param>
/// <param name="ResumeStatePath">The resume state, rewritten (atomically) after every epoch; null to write none.</param>
/// <param name="Checkpoint">What the best checkpoint records besides the weights (model, dataset, config).</param>
public sealed record TrainingOutputs(string BestCheckpointPath, string? ResumeStatePath, CheckpointInfo Checkpoint);
