using System.Runtime.CompilerServices;
using SeqRec.Configuration;
using SeqRec.Data.Atomic;
using SeqRec.Data.Filtering;

namespace SeqRec.Data;

/// <summary>
/// Loads a dataset's <c>.inter</c> file and prepares it as RecBole does for sequential models: filters (missing
/// ids, duplicates, value intervals, k-core), id remapping in order of first appearance (0 = padding), per-user
/// time order, prefix samples and the leave-one-out split.
/// </summary>
public static class SequentialDatasetLoader
{
    /// <summary>Loads <c>&lt;folder&gt;/&lt;dataset&gt;/&lt;dataset&gt;.inter</c>, the folder being data.data_path (or $SEQREC_DATA_PATH in place of the default).</summary>
    public static SequentialDataset Load(DataConfig config) => Load(config, DatasetLocation.DataFolder(config));

    /// <summary>Loads the dataset from <paramref name="dataFolder"/>, ignoring data.data_path and $SEQREC_DATA_PATH.</summary>
    public static SequentialDataset Load(DataConfig config, string dataFolder)
    {
        ThrowIfInvalid(config);
        var path = DatasetLocation.AtomicFile(dataFolder, config.Dataset, "inter");
        if (!File.Exists(path))
        {
            throw new SeqRecException(
                $"{path}: file not found; the data folder is '{dataFolder}'" +
                (Environment.GetEnvironmentVariable(DatasetLocation.DataPathVariable) is { Length: > 0 } env && env == dataFolder ? $" (from {DatasetLocation.DataPathVariable})" : " (data.data_path)") +
                $" and data.dataset is '{config.Dataset}'" +
                (SeqRec.Data.Import.MovieLensRelease.Find(config.Dataset) is not null ? $"; 'seqrec dataset download {config.Dataset}' fetches it" : ""));
        }
        var valueFilters = config.ValueFilters();
        var table = AtomicFileReader.Read(path, ReadOptions(config, valueFilters));
        return Prepare(table, config, valueFilters);
    }

    /// <summary>Prepares an already loaded interaction table (the columns named in <paramref name="config"/> must be loaded).</summary>
    public static SequentialDataset Prepare(AtomicTable table, DataConfig config) => Prepare(table, config, config.ValueFilters());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static SequentialDataset Prepare(AtomicTable table, DataConfig config, IReadOnlyList<ValueIntervalFilter> valueFilters)
    {
        var users = Require<TokenColumn>(table, config.UserIdField, AtomicFieldType.Token, "data.user_id_field");
        var items = Require<TokenColumn>(table, config.ItemIdField, AtomicFieldType.Token, "data.item_id_field");
        var time = Require<FloatColumn>(table, config.TimeField, AtomicFieldType.Float, "data.time_field");

        var rows = new int[table.RowCount];
        for (var i = 0; i < rows.Length; i++) rows[i] = i;
        rows = InteractionFilters.DropMissingIds(table, rows, users, items, config.DropMissingIds);
        rows = InteractionFilters.RemoveDuplicates(rows, users, items, time, config.RmDupInter);
        foreach (var filter in valueFilters)
        {
            var column = Require<FloatColumn>(table, filter.Field, AtomicFieldType.Float, "data.val_interval");
            rows = InteractionFilters.KeepValuesWithin(rows, column, filter.Intervals);
        }
        rows = InteractionFilters.KCore(rows, users, items, config.UserInterNumIntervals(), config.ItemInterNumIntervals());
        if (rows.Length == 0)
            throw new SeqRecException($"{table.Path}: no interaction is left after filtering; check data.val_interval and the *_inter_num_interval settings");

        var (userVocabulary, userIds) = Remap(users, rows);
        var (itemVocabulary, itemIds) = Remap(items, rows);
        var times = new double[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            times[i] = time.Values[rows[i]];
            if (double.IsNaN(times[i]))
                throw new SeqRecException($"{table.Where(rows[i], time.Field)}: the timestamp is empty or not a number; sequential models order interactions by it");
        }

        var split = SequenceSplitter.Split(userIds, itemIds, times, userVocabulary.Count, config.MaxItemListLength, config.Split, config.TimeOrder);
        return new SequentialDataset(config.Dataset, userVocabulary, itemVocabulary, rows.Length, config.MaxItemListLength,
            split.Train, split.Valid, split.Test, split.Sequences);
    }

    private static AtomicReadOptions ReadOptions(DataConfig config, IReadOnlyList<ValueIntervalFilter> valueFilters)
    {
        var roles = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [config.UserIdField] = "the user id field, data.user_id_field",
            [config.ItemIdField] = "the item id field, data.item_id_field",
            [config.TimeField] = "the time field, data.time_field, which sequential models need to order interactions",
        };
        foreach (var filter in valueFilters) roles.TryAdd(filter.Field, "named in data.val_interval");
        return new AtomicReadOptions
        {
            Columns = [.. roles.Keys],
            ColumnRoles = roles,
            FieldSeparator = config.FieldSeparatorChar,
            SeqSeparator = config.SeqSeparatorChar,
        };
    }

    private static T Require<T>(AtomicTable table, string name, AtomicFieldType type, string key) where T : AtomicColumn
    {
        if (!table.HasColumn(name))
            throw new SeqRecException($"{table.Path}:1: the header has no column '{name}' ({key}); its columns are {string.Join(", ", table.Fields.Select(f => f.Name))}");
        var column = table.Column(name);
        if (column is not T typed)
            throw new SeqRecException($"{table.Path}:1: column {column.Field.Column} ({name}, {key}) has type {column.Field.Type.Name()}; expected {type.Name()}");
        return typed;
    }

    /// <summary>Dense ids in order of first appearance among the kept rows; 0 stays the padding token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (TokenVocabulary Vocabulary, int[] Ids) Remap(TokenColumn column, int[] rows)
    {
        var vocabulary = new TokenVocabulary();
        var idOfCode = new int[column.Tokens.Length];
        var ids = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var code = column.Codes[rows[i]];
            if (idOfCode[code] == 0) idOfCode[code] = vocabulary.GetOrAdd(column.Tokens[code]);
            ids[i] = idOfCode[code];
        }
        return (vocabulary, ids);
    }

    private static void ThrowIfInvalid(DataConfig config)
    {
        var errors = new ConfigErrors();
        config.Validate(errors);
        if (errors.HasErrors) throw new SeqRecException(errors.ToString());
    }
}
