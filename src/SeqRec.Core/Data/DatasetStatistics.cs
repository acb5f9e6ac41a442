using System.Text.Json;

namespace SeqRec.Data;

/// <summary>The counts <c>seqrec dataset stats</c> shows; users and items include padding, as RecBole counts.</summary>
public sealed record DatasetStatistics(
    string Dataset, int Users, int Items, int Interactions, int TrainSamples, int ValidSamples, int TestSamples)
{

    public static DatasetStatistics Of(SequentialDataset dataset) => new(
        dataset.Name, dataset.NUsers, dataset.NItems, dataset.InteractionCount,
        dataset.Train.Count, dataset.Valid.Count, dataset.Test.Count);

    /// <summary>{"dataset": ..., "users": ..., "items": ..., "interactions": ..., "train_samples": ..., ...}.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SeqRecJson.Output);

    public static DatasetStatistics FromJson(string json) =>
        JsonSerializer.Deserialize<DatasetStatistics>(json, SeqRecJson.Output) ?? throw new JsonException("null statistics");
}
