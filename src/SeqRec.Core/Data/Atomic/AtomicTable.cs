namespace SeqRec.Data.Atomic;

/// <summary>The rows of one atomic file, with only the selected columns loaded.</summary>
public sealed class AtomicTable(string path, IReadOnlyList<AtomicField> fields, int[] lineNumbers, IReadOnlyList<AtomicColumn> columns)
{
    private readonly Dictionary<string, AtomicColumn> _columns = columns.ToDictionary(c => c.Field.Name, StringComparer.Ordinal);

    public string Path { get; } = path;

    /// <summary>Every header field, loaded or not.</summary>
    public IReadOnlyList<AtomicField> Fields { get; } = fields;

    public IReadOnlyList<AtomicColumn> Columns { get; } = columns;

    public int RowCount => LineNumbers.Length;

    /// <summary>The 1-based file line of each row, for messages about a row found bad after loading.</summary>
    public int[] LineNumbers { get; } = lineNumbers;

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    public AtomicColumn Column(string name) =>
        _columns.TryGetValue(name, out var column) ? column : throw new ArgumentException($"column '{name}' was not loaded from {Path}", nameof(name));

    /// <summary>"file:line: column 2 (item_id)", the prefix of a message about one cell.</summary>
    public string Where(int row, AtomicField field) => $"{Path}:{LineNumbers[row]}: column {field.Column} ({field.Name})";
}
