namespace SeqRec.Data.Atomic;

/// <summary>The loaded values of one column, one entry per row.</summary>
public abstract class AtomicColumn(AtomicField field)
{
    public AtomicField Field { get; } = field;
}

/// <summary>
/// A token column, stored as codes into <see cref="Tokens"/> (distinct tokens in order of first appearance in the
/// file). <see cref="Missing"/> marks an empty cell.
/// </summary>
public sealed class TokenColumn(AtomicField field, int[] codes, string[] tokens) : AtomicColumn(field)
{
    public const int Missing = -1;

    public int[] Codes { get; } = codes;
    public string[] Tokens { get; } = tokens;
}

/// <summary>A float column; an empty cell is <see cref="double.NaN"/>.</summary>
public sealed class FloatColumn(AtomicField field, double[] values) : AtomicColumn(field)
{
    public double[] Values { get; } = values;
}

/// <summary>A token_seq column: row r's tokens are <c>Codes[Offsets[r]..Offsets[r + 1]]</c>.</summary>
public sealed class TokenSeqColumn(AtomicField field, int[] offsets, int[] codes, string[] tokens) : AtomicColumn(field)
{
    public int[] Offsets { get; } = offsets;
    public int[] Codes { get; } = codes;
    public string[] Tokens { get; } = tokens;

    public ReadOnlySpan<int> Row(int row) => Codes.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);
}

/// <summary>A float_seq column: row r's values are <c>Values[Offsets[r]..Offsets[r + 1]]</c>.</summary>
public sealed class FloatSeqColumn(AtomicField field, int[] offsets, double[] values) : AtomicColumn(field)
{
    public int[] Offsets { get; } = offsets;
    public double[] Values { get; } = values;

    public ReadOnlySpan<double> Row(int row) => Values.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);
}
