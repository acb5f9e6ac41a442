using System.Text.Json;
using System.Text.Json.Serialization;

namespace SeqRec.Data;

/// <summary>The counts <c>seqrec dataset stats</c> shows; users and items include padding, as RecBole counts.</summary>
public sealed record DatasetStatistics(
    string Dataset, int Users, int Items, int Interactions, int TrainSamples, int ValidSamples, int TestSamples)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static DatasetStatistics Of(SequentialDataset dataset) => new(
        dataset.Name, dataset.NUsers, dataset.NItems, dataset.InteractionCount,
        dataset.Train.Count, dataset.Valid.Count, dataset.Test.Count);

    /// <summary>{"dataset": ..., "users": ..., "items": ..., "interactions": ..., "train_samples": ..., ...}.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static DatasetStatistics FromJson(string json) =>
        JsonSerializer.Deserialize<DatasetStatistics>(json, JsonOptions) ?? throw new JsonException("null statistics");
}
