namespace SeqRec.Training;

/// <summary>
/// The weights diverged (a NaN loss or score): not a mistake in the input, so the CLI exits with its own code (4),
/// though the message still says what to change. The run folder keeps the log and the last good checkpoint.
/// </summary>
public sealed class TrainingDivergedException(string message) : SeqRecException(message);
