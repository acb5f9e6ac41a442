namespace SeqRec.Configuration;

/// <summary>Leave-one-out split variants (RecBole's <c>LS</c> split with <c>valid_and_test</c> and its siblings).</summary>
public enum SplitMode { ValidAndTest, ValidOnly, TestOnly }

/// <summary>The <c>[data]</c> section: where the dataset is and how it is prepared. Defaults follow RecBole.</summary>
[ConfigSection("data")]
public sealed partial record DataConfig
{
    [Param(Help = "Folder that holds one sub-folder per dataset; SEQREC_DATA_PATH overrides it.")]
    public string DataPath { get; init; } = "dataset/";

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
}
