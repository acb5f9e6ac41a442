using System.Text.Json;
using SeqRec.Configuration;

namespace SeqRec.Parity;

/// <summary>
/// Inputs, weights and outputs of a reference model (RecBole 1.2.1 in eval mode) for one configuration, in either
/// fixture layout: schema 1 (LightSANs and SASRec: <c>seq_output</c>, <c>ce_loss</c>, <c>bpr_loss</c>) or schema 2
/// (every zoo model: <c>forward</c>, <c>full_sort_scores</c>, <c>predict_scores</c>, <c>losses</c> by loss type and,
/// where the model regularises, <c>losses_without_regularisation</c>).
/// </summary>
public sealed class ParityFixture
{
    /// <summary>Larger files are refused before they are read (the reference's are under 1 MB).</summary>
    public const long MaxFileBytes = 256L << 20;

    public required string Name { get; init; }
    public required int Schema { get; init; }

    /// <summary>The reference's model class name, e.g. <c>LightSANs</c>; looked up case-insensitively as a model id.</summary>
    public required string Model { get; init; }

    public required IReadOnlyList<KeyValuePair<string, JsonElement>> Hyperparameters { get; init; }
    public required int NItems { get; init; }
    public int NUsers { get; init; }
    public required int MaxSeqLength { get; init; }
    public required IReadOnlyDictionary<string, FixtureTensor> StateDict { get; init; }

    /// <summary>The batch fields by the reference's names (<c>item_seq</c>, <c>user_id</c>, <c>Inverse_item_id_list</c>, ...).</summary>
    public required IReadOnlyDictionary<string, FixtureTensor> Inputs { get; init; }

    /// <summary><c>forward</c> (schema 1: <c>seq_output</c>).</summary>
    public required FixtureTensor Forward { get; init; }

    public required FixtureTensor FullSortScores { get; init; }

    /// <summary><c>predict</c> with the target as the candidate; schema 2 only.</summary>
    public FixtureTensor? PredictScores { get; init; }

    /// <summary>The loss of a model built with each loss type (<c>CE</c>, <c>BPR</c>, <c>NLL</c>, or <c>default</c>).</summary>
    public required IReadOnlyDictionary<string, double> Losses { get; init; }

    /// <summary>The same losses with the regularisation weights set to 0, where the model regularises.</summary>
    public IReadOnlyDictionary<string, double> LossesWithoutRegularisation { get; init; } = new Dictionary<string, double>();

    /// <summary>Outputs of the fixture that no generic check covers (e.g. BERT4Rec's <c>forward_masked</c>).</summary>
    public IReadOnlyList<string> UncheckedOutputs { get; init; } = [];

    /// <summary>
    /// The tensors among <see cref="UncheckedOutputs"/>, which a model implementing <see cref="IReferenceOutputs"/>
    /// is checked against.
    /// </summary>
    public IReadOnlyDictionary<string, FixtureTensor> ExtraOutputs { get; init; } = new Dictionary<string, FixtureTensor>();

    public static ParityFixture Load(string path)
    {
        var name = Path.GetFileName(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new SeqRecException($"{path}: fixture not found");
        if (info.Length > MaxFileBytes) throw new SeqRecException($"{path}: {info.Length:N0} bytes is larger than a parity fixture can be ({MaxFileBytes:N0})");
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new SeqRecException($"{path}: line {e.LineNumber + 1}: not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new SeqRecException($"{path}: expected a JSON object");
            var schema = root.TryGetProperty("schema", out var s) && s.TryGetInt32(out var v) ? v : 1;
            return schema switch
            {
                1 => ReadSchema1(name, root),
                2 => ReadSchema2(name, root),
                _ => throw new SeqRecException($"{path}: schema {schema} is not known (1 or 2)"),
            };
        }
    }

    private static ParityFixture ReadSchema1(string name, JsonElement root)
    {
        var outputs = Required(root, "outputs", name);
        return new ParityFixture
        {
            Name = name,
            Schema = 1,
            Model = String(root, "model", name),
            Hyperparameters = Hyper(root, name),
            NItems = Int(root, "n_items_including_padding", name),
            MaxSeqLength = Int(root, "max_seq_length", name),
            StateDict = Tensors(Required(root, "state_dict", name), name + ": state_dict"),
            Inputs = Tensors(Required(root, "inputs", name), name + ": inputs"),
            Forward = FixtureTensor.From(Required(outputs, "seq_output", name), name + ": outputs.seq_output"),
            FullSortScores = FixtureTensor.From(Required(outputs, "full_sort_scores", name), name + ": outputs.full_sort_scores"),
            Losses = new Dictionary<string, double>
            {
                ["CE"] = Number(outputs, "ce_loss", name),
                ["BPR"] = Number(outputs, "bpr_loss", name),
            },
        };
    }

    private static readonly string[] Schema2Outputs = ["forward", "full_sort_scores", "predict_scores", "losses", "losses_without_regularisation"];

    private static ParityFixture ReadSchema2(string name, JsonElement root)
    {
        var outputs = Required(root, "outputs", name);
        return new ParityFixture
        {
            Name = name,
            Schema = 2,
            Model = String(root, "model", name),
            Hyperparameters = Hyper(root, name),
            NItems = Int(root, "n_items_including_padding", name),
            NUsers = root.TryGetProperty("n_users_including_padding", out var users) && users.ValueKind == JsonValueKind.Number ? users.GetInt32() : 0,
            MaxSeqLength = Int(root, "max_seq_length", name),
            StateDict = Tensors(Required(root, "state_dict", name), name + ": state_dict"),
            Inputs = Tensors(Required(root, "inputs", name), name + ": inputs"),
            Forward = FixtureTensor.From(Required(outputs, "forward", name), name + ": outputs.forward"),
            FullSortScores = FixtureTensor.From(Required(outputs, "full_sort_scores", name), name + ": outputs.full_sort_scores"),
            PredictScores = outputs.TryGetProperty("predict_scores", out var predict) ? FixtureTensor.From(predict, name + ": outputs.predict_scores") : null,
            Losses = Numbers(Required(outputs, "losses", name), name + ": outputs.losses"),
            LossesWithoutRegularisation = outputs.TryGetProperty("losses_without_regularisation", out var plain)
                ? Numbers(plain, name + ": outputs.losses_without_regularisation")
                : new Dictionary<string, double>(),
            UncheckedOutputs = [.. outputs.EnumerateObject().Select(p => p.Name).Where(n => !Schema2Outputs.Contains(n))],
            ExtraOutputs = outputs.EnumerateObject()
                .Where(p => !Schema2Outputs.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("shape", out _))
                .ToDictionary(p => p.Name, p => FixtureTensor.From(p.Value, $"{name}: outputs.{p.Name}"), StringComparer.Ordinal),
        };
    }

    /// <summary>The hyper-parameters as a config table with the reference's key names, as a user's config file gives them.</summary>
    public ConfigTable HyperparameterTable(IReadOnlyDictionary<string, object>? replace = null)
    {
        var source = new ConfigSource(Name);
        var table = new ConfigTable(source);
        foreach (var (key, value) in Hyperparameters)
            table.Set(key, replace is not null && replace.TryGetValue(key, out var replaced) ? ToNode(replaced, source) : ToNode(value, key, source));
        return table;
    }

    private ConfigNode ToNode(JsonElement value, string key, ConfigSource source) => value.ValueKind switch
    {
        JsonValueKind.String => new ConfigScalar(value.GetString()!, source),
        JsonValueKind.Number when value.TryGetInt64(out var integer) && !value.GetRawText().Contains('.') && !value.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase) => new ConfigScalar(integer, source),
        JsonValueKind.Number => new ConfigScalar(value.GetDouble(), source),
        JsonValueKind.True or JsonValueKind.False => new ConfigScalar(value.GetBoolean(), source),
        JsonValueKind.Array => ToArray(value.EnumerateArray().Select(e => ToNode(e, key, source)), source),
        _ => throw new SeqRecException($"{Name}: hyperparameters.{key} has an unsupported value {value}"),
    };

    private static ConfigNode ToNode(object value, ConfigSource source) => value switch
    {
        IEnumerable<object> items => ToArray(items.Select(i => ToNode(i, source)), source),
        _ => new ConfigScalar(value, source),
    };

    private static ConfigArray ToArray(IEnumerable<ConfigNode> items, ConfigSource source) => new([.. items], source);

    private static JsonElement Required(JsonElement parent, string key, string name) =>
        parent.TryGetProperty(key, out var value) ? value : throw new SeqRecException($"{name}: missing '{key}'");

    private static string String(JsonElement parent, string key, string name) =>
        Required(parent, key, name) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : throw new SeqRecException($"{name}: '{key}' must be a string");

    private static int Int(JsonElement parent, string key, string name) =>
        Required(parent, key, name).TryGetInt32(out var value) && value > 0 ? value : throw new SeqRecException($"{name}: '{key}' must be a positive integer");

    private static double Number(JsonElement parent, string key, string name) =>
        Required(parent, key, name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : throw new SeqRecException($"{name}: '{key}' must be a number");

    private static List<KeyValuePair<string, JsonElement>> Hyper(JsonElement root, string name) =>
        Required(root, "hyperparameters", name) is { ValueKind: JsonValueKind.Object } hyper
            ? [.. hyper.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone()))]
            : throw new SeqRecException($"{name}: 'hyperparameters' must be an object");

    private static Dictionary<string, FixtureTensor> Tensors(JsonElement element, string where) =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().ToDictionary(p => p.Name, p => FixtureTensor.From(p.Value, $"{where}.{p.Name}"), StringComparer.Ordinal)
            : throw new SeqRecException($"{where}: expected an object of tensors");

    private static Dictionary<string, double> Numbers(JsonElement element, string where) =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : throw new SeqRecException($"{where}.{p.Name}: expected a number"), StringComparer.Ordinal)
            : throw new SeqRecException($"{where}: expected an object of numbers");
}
