using SeqRec.Data.Filtering;

namespace SeqRec.Configuration;

/// <summary>Which of several interactions of one user with one item to keep (RecBole's <c>rm_dup_inter</c>).</summary>
public enum DuplicateRemoval { None, First, Last }

/// <summary>
/// How interaction times are compared when ordering them. RecBole turns float columns into float32 before it sorts,
/// so timestamps close together tie and keep file order; with <c>normalize_all</c> (its ml-100k preset) it first
/// min-max normalizes them, which keeps much more of their resolution.
/// </summary>
public enum TimeOrder { NormalizedFloat32, Float32, Exact }

/// <summary>Leave-one-out split variants (RecBole's <c>LS</c> split with <c>valid_and_test</c> and its siblings).</summary>
public enum SplitMode { ValidAndTest, ValidOnly, TestOnly }

/// <summary>The <c>[data]</c> section: where the dataset is and how it is prepared. Defaults follow RecBole.</summary>
[ConfigSection("data")]
public sealed partial record DataConfig
{
    [Param(Help = "Folder that holds one sub-folder per dataset; left at its default, SEQREC_DATA_PATH replaces it when set (a run's saved config.toml records the folder used).")]
    public string DataPath { get; init; } = DefaultDataPath;

    public const string DefaultDataPath = "dataset/";

    [Param(Help = "Dataset name: the folder and the atomic files' base name (ml-100k/ml-100k.inter).")]
    public string Dataset { get; init; } = "ml-100k";

    [Param(Min = 1, Max = 100000, Help = "Histories are truncated to their last this-many items (MAX_ITEM_LIST_LENGTH).")]
    public int MaxItemListLength { get; init; } = 50;

    [Param(Help = "User id column of the .inter file (USER_ID_FIELD).")]
    public string UserIdField { get; init; } = "user_id";

    [Param(Help = "Item id column of the .inter file (ITEM_ID_FIELD).")]
    public string ItemIdField { get; init; } = "item_id";

    [Param(Help = "Timestamp column of the .inter file (TIME_FIELD).")]
    public string TimeField { get; init; } = "timestamp";

    [Param(Help = "Leave-one-out split: valid_and_test, valid_only or test_only.")]
    public SplitMode Split { get; init; } = SplitMode.ValidAndTest;

    [Param(Help = "How timestamps are compared when ordering interactions (ties keep file order): normalized_float32 as RecBole with normalize_all (its ml-100k preset), float32 as RecBole without it (Unix times about a minute apart tie), or exact.")]
    public TimeOrder TimeOrder { get; init; } = TimeOrder.NormalizedFloat32;

    [Param(Help = "Separator between the fields of an atomic file (RecBole's field_separator); one character.")]
    public string FieldSeparator { get; init; } = "\t";

    [Param(Help = "Separator inside token_seq and float_seq cells (RecBole's seq_separator); one character.")]
    public string SeqSeparator { get; init; } = " ";

    [Param(Help = "Drop interactions whose user or item id is empty. Off: an empty id is an error naming its line.")]
    public bool DropMissingIds { get; init; }

    [Param(Help = "Remove repeated user-item interactions: none, first or last (kept after ordering by time), as RecBole's rm_dup_inter.")]
    public DuplicateRemoval RmDupInter { get; init; } = DuplicateRemoval.None;

    [Param(Help = "Keep only interactions whose float field lies in an interval, one \"field:intervals\" entry per field, e.g. [\"rating:[3,inf)\"]; intervals as in RecBole: [a,b), (a,b], ';' for a union, inf for unbounded.")]
    public string[] ValInterval { get; init; } = [];

    [Param(Help = "Iterative k-core: keep users whose interaction count lies in this interval, e.g. \"[5,inf)\"; empty: no filter.")]
    public string UserInterNumInterval { get; init; } = "";

    [Param(Help = "Iterative k-core: keep items whose interaction count lies in this interval, e.g. \"[5,inf)\"; empty: no filter.")]
    public string ItemInterNumInterval { get; init; } = "";

    /// <summary>The parsed <see cref="ValInterval"/> entries (valid after validation).</summary>
    public IReadOnlyList<ValueIntervalFilter> ValueFilters() => [.. ValInterval.Select(ValueIntervalFilter.Parse)];

    /// <summary>The parsed <see cref="UserInterNumInterval"/>, or null when unset.</summary>
    public IntervalSet? UserInterNumIntervals() => ParseOptional(UserInterNumInterval);

    /// <summary>The parsed <see cref="ItemInterNumInterval"/>, or null when unset.</summary>
    public IntervalSet? ItemInterNumIntervals() => ParseOptional(ItemInterNumInterval);

    public char FieldSeparatorChar => SeparatorChar(FieldSeparator);

    public char SeqSeparatorChar => SeparatorChar(SeqSeparator);

    partial void OnValidate(ConfigErrors errors)
    {
        foreach (var entry in ValInterval)
        {
            if (!ValueIntervalFilter.TryParse(entry, out _, out var error)) errors.Error("val_interval", error);
        }
        var fields = ValInterval.Select(e => e.Split(':')[0].Trim()).ToList();
        foreach (var repeated in fields.GroupBy(f => f).Where(g => g.Count() > 1))
            errors.Error("val_interval", $"field '{repeated.Key}' has more than one entry; join its intervals with ';' in one entry");
        ValidateInterval(errors, "user_inter_num_interval", UserInterNumInterval);
        ValidateInterval(errors, "item_inter_num_interval", ItemInterNumInterval);
        ValidateSeparator(errors, "field_separator", FieldSeparator);
        ValidateSeparator(errors, "seq_separator", SeqSeparator);
        if (UserIdField == ItemIdField) errors.Error("item_id_field", $"'{ItemIdField}' is also the user_id_field");
        if (TimeField == UserIdField || TimeField == ItemIdField) errors.Error("time_field", $"'{TimeField}' is also an id field");
    }

    private static void ValidateInterval(ConfigErrors errors, string key, string text)
    {
        if (text.Trim().Length > 0 && !IntervalSet.TryParse(text, out _, out var error)) errors.Error(key, error);
    }

    private static void ValidateSeparator(ConfigErrors errors, string key, string text)
    {
        if (!TrySeparatorChar(text, out _)) errors.Error(key, $"'{text}' is not one character (write \\t or a tab for a tab)");
    }

    private static IntervalSet? ParseOptional(string text) => text.Trim().Length == 0 ? null : IntervalSet.Parse(text);

    private static char SeparatorChar(string text) =>
        TrySeparatorChar(text, out var c) ? c : throw new SeqRecException($"data: separator '{text}' is not one character");

    private static bool TrySeparatorChar(string text, out char separator)
    {
        separator = text == "\\t" ? '\t' : text.Length == 1 ? text[0] : '\0';
        return separator != '\0' && separator != '\n' && separator != '\r';
    }
}
