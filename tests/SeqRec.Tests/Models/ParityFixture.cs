using System.Text.Json;
using SeqRec.Configuration;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>A flat row-major tensor from a fixture file.</summary>
internal sealed record FixtureTensor(long[] Shape, double[] Data)
{
    public static FixtureTensor From(JsonElement element) => new(
        element.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
        element.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray());

    public Tensor ToFloat() => tensor(Data.Select(d => (float)d).ToArray(), Shape);

    public Tensor ToLong() => tensor(Data.Select(d => (long)d).ToArray(), Shape);
}

/// <summary>One parity fixture produced by the reference (see the README next to the fixtures).</summary>
internal sealed class ParityFixture
{
    public required string Name { get; init; }
    public required string Model { get; init; }
    public required IReadOnlyList<KeyValuePair<string, JsonElement>> Hyperparameters { get; init; }
    public required int NItems { get; init; }
    public required int MaxSeqLength { get; init; }
    public required IReadOnlyDictionary<string, FixtureTensor> StateDict { get; init; }
    public required IReadOnlyDictionary<string, FixtureTensor> Inputs { get; init; }
    public required FixtureTensor SeqOutput { get; init; }
    public required FixtureTensor FullSortScores { get; init; }
    public required double CeLoss { get; init; }
    public required double BprLoss { get; init; }

    public static ParityFixture Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var outputs = root.GetProperty("outputs");
        return new ParityFixture
        {
            Name = Path.GetFileName(path),
            Model = root.GetProperty("model").GetString()!,
            Hyperparameters = root.GetProperty("hyperparameters").EnumerateObject()
                .Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value.Clone())).ToList(),
            NItems = root.GetProperty("n_items_including_padding").GetInt32(),
            MaxSeqLength = root.GetProperty("max_seq_length").GetInt32(),
            StateDict = Tensors(root.GetProperty("state_dict")),
            Inputs = Tensors(root.GetProperty("inputs")),
            SeqOutput = FixtureTensor.From(outputs.GetProperty("seq_output")),
            FullSortScores = FixtureTensor.From(outputs.GetProperty("full_sort_scores")),
            CeLoss = outputs.GetProperty("ce_loss").GetDouble(),
            BprLoss = outputs.GetProperty("bpr_loss").GetDouble(),
        };
    }

    /// <summary>The hyper-parameters as a config table with RecBole's key names, as a user's config file would give them.</summary>
    public ConfigTable HyperparameterTable()
    {
        var source = new ConfigSource(Name);
        var table = new ConfigTable(source);
        foreach (var (key, value) in Hyperparameters)
        {
            object scalar = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number when value.TryGetInt64(out var integer) && !value.GetRawText().Contains('.') && !value.GetRawText().Contains('e') => integer,
                JsonValueKind.Number => value.GetDouble(),
                JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
                _ => throw new InvalidDataException($"{Name}: hyperparameters.{key} has an unsupported value {value}"),
            };
            table.Set(key, new ConfigScalar(scalar, source));
        }
        return table;
    }

    private static Dictionary<string, FixtureTensor> Tensors(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => FixtureTensor.From(p.Value), StringComparer.Ordinal);
}
