namespace SeqRec;

/// <summary>
/// A problem the user can fix (bad input file, unknown user, inconsistent configuration). The CLI prints only its
/// message, which must name the file, line, key or value at fault and what was expected, and exits with code 2.
/// </summary>
public class SeqRecException(string message, Exception? inner = null) : Exception(message, inner);
