using SeqRec.Data.Atomic;

namespace SeqRec.Data;

/// <summary>
/// A readable label per item (ml-100k's <c>movie_title</c>), taken from the dataset's optional <c>.item</c> file, so
/// that recommendations can be shown as more than ids. The label is the first column whose name contains "title" or
/// "name", else the first text column after the item id.
/// </summary>
public sealed class ItemLabels
{
    private readonly Dictionary<string, string> _labels;

    private ItemLabels(string column, Dictionary<string, string> labels)
    {
        Column = column;
        _labels = labels;
    }

    /// <summary>The <c>.item</c> column the labels come from.</summary>
    public string Column { get; }

    public string? For(string itemToken) => _labels.GetValueOrDefault(itemToken);

    /// <summary>
    /// The labels in <paramref name="itemFile"/>, or null when the file does not exist or has no text column besides
    /// <paramref name="itemIdField"/>. A malformed file is a <see cref="SeqRecException"/> naming file and line.
    /// </summary>
    public static ItemLabels? TryLoad(string itemFile, string itemIdField, AtomicReadOptions? options = null)
    {
        if (!File.Exists(itemFile)) return null;
        var table = AtomicFileReader.Read(itemFile, options);
        if (!table.HasColumn(itemIdField) || table.Column(itemIdField) is not TokenColumn ids)
            throw new SeqRecException($"{itemFile}:1: no '{itemIdField}:token' column; the item id field (data.item_id_field) must be a token column");
        var text = table.Columns.Where(c => c.Field.Name != itemIdField && c is TokenColumn or TokenSeqColumn).ToList();
        var label = text.FirstOrDefault(c => c.Field.Name.Contains("title", StringComparison.OrdinalIgnoreCase) || c.Field.Name.Contains("name", StringComparison.OrdinalIgnoreCase))
            ?? text.FirstOrDefault();
        if (label is null) return null;

        var labels = new Dictionary<string, string>(table.RowCount, StringComparer.Ordinal);
        for (var row = 0; row < table.RowCount; row++)
        {
            if (ids.Codes[row] == TokenColumn.Missing) continue;
            labels[ids.Tokens[ids.Codes[row]]] = label switch
            {
                TokenColumn tokens => tokens.Codes[row] == TokenColumn.Missing ? "" : tokens.Tokens[tokens.Codes[row]],
                TokenSeqColumn sequence => string.Join(' ', sequence.Row(row).ToArray().Select(code => sequence.Tokens[code])),
                _ => "",
            };
        }
        return new ItemLabels(label.Field.Name, labels);
    }
}
