namespace SeqRec.Data.Atomic;

/// <summary>How to read an atomic file.</summary>
public sealed record AtomicReadOptions
{
    /// <summary>Columns to load (RecBole's <c>load_col</c>); null loads every column. Each must be in the header.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Why a selected column is needed, for the error when it is absent (e.g. "the time field (data.time_field)").</summary>
    public IReadOnlyDictionary<string, string>? ColumnRoles { get; init; }

    /// <summary>Separator between fields (RecBole's <c>field_separator</c>).</summary>
    public char FieldSeparator { get; init; } = '\t';

    /// <summary>Separator inside token_seq and float_seq cells (RecBole's <c>seq_separator</c>).</summary>
    public char SeqSeparator { get; init; } = ' ';
}
