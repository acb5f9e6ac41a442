using System.Globalization;
using System.Runtime.CompilerServices;

namespace SeqRec.Data.Atomic;

/// <summary>Accumulates one column's cells while the file streams by.</summary>
internal abstract class ColumnBuilder(AtomicField field)
{
    public AtomicField Field { get; } = field;

    /// <summary>Parses one cell; returns an error text (without location) or null.</summary>
    public abstract string? Add(ReadOnlySpan<char> cell);

    public abstract AtomicColumn Build();

    public static ColumnBuilder For(AtomicField field, char seqSeparator) => field.Type switch
    {
        AtomicFieldType.Token => new TokenColumnBuilder(field),
        AtomicFieldType.Float => new FloatColumnBuilder(field),
        AtomicFieldType.TokenSeq => new TokenSeqColumnBuilder(field, seqSeparator),
        AtomicFieldType.FloatSeq => new FloatSeqColumnBuilder(field, seqSeparator),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>Integers (most timestamps and ratings) take a fast exact path; everything else the invariant parser.</summary>
    protected static bool TryParseFloat(ReadOnlySpan<char> text, out double value)
    {
        if (text.Length is > 0 and <= 15)
        {
            var digits = text[0] == '-' ? text[1..] : text;
            long whole = 0;
            var allDigits = digits.Length > 0;
            foreach (var c in digits)
            {
                if (c is < '0' or > '9')
                {
                    allDigits = false;
                    break;
                }
                whole = whole * 10 + (c - '0');
            }
            if (allDigits)
            {
                value = text[0] == '-' ? -whole : whole;
                return true;
            }
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    protected static string NotANumber(ReadOnlySpan<char> text) => $"'{text}' is not a number";
}

internal sealed class TokenColumnBuilder(AtomicField field) : ColumnBuilder(field)
{
    private readonly TokenInterner _interner = new();
    private readonly GrowableArray<int> _codes = new(1 << 14);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override string? Add(ReadOnlySpan<char> cell)
    {
        _codes.Add(cell.IsEmpty ? TokenColumn.Missing : _interner.Intern(cell));
        return null;
    }

    public override AtomicColumn Build() => new TokenColumn(Field, _codes.ToArray(), _interner.Tokens());
}

internal sealed class FloatColumnBuilder(AtomicField field) : ColumnBuilder(field)
{
    private readonly GrowableArray<double> _values = new(1 << 14);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override string? Add(ReadOnlySpan<char> cell)
    {
        if (cell.IsEmpty)
        {
            _values.Add(double.NaN);
            return null;
        }
        if (!TryParseFloat(cell, out var value)) return NotANumber(cell);
        _values.Add(value);
        return null;
    }

    public override AtomicColumn Build() => new FloatColumn(Field, _values.ToArray());
}

internal sealed class TokenSeqColumnBuilder(AtomicField field, char separator) : ColumnBuilder(field)
{
    private readonly TokenInterner _interner = new();
    private readonly GrowableArray<int> _offsets = new(1 << 14);
    private readonly GrowableArray<int> _codes = new(1 << 14);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override string? Add(ReadOnlySpan<char> cell)
    {
        if (_offsets.Count == 0) _offsets.Add(0);
        foreach (var range in cell.Split(separator))
        {
            var token = cell[range];
            if (!token.IsEmpty) _codes.Add(_interner.Intern(token));
        }
        _offsets.Add(_codes.Count);
        return null;
    }

    public override AtomicColumn Build() =>
        new TokenSeqColumn(Field, _offsets.Count == 0 ? [0] : _offsets.ToArray(), _codes.ToArray(), _interner.Tokens());
}

internal sealed class FloatSeqColumnBuilder(AtomicField field, char separator) : ColumnBuilder(field)
{
    private readonly GrowableArray<int> _offsets = new(1 << 14);
    private readonly GrowableArray<double> _values = new(1 << 14);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override string? Add(ReadOnlySpan<char> cell)
    {
        if (_offsets.Count == 0) _offsets.Add(0);
        foreach (var range in cell.Split(separator))
        {
            var text = cell[range];
            if (text.IsEmpty) continue;
            if (!TryParseFloat(text, out var value)) return NotANumber(text);
            _values.Add(value);
        }
        _offsets.Add(_values.Count);
        return null;
    }

    public override AtomicColumn Build() =>
        new FloatSeqColumn(Field, _offsets.Count == 0 ? [0] : _offsets.ToArray(), _values.ToArray());
}
