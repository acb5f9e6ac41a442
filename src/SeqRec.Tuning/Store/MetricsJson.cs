using System.Text.Json;
using System.Text.Json.Serialization;

namespace SeqRec.Tuning.Store;

/// <summary>Metric dictionaries as JSON objects; NaN and infinities survive as named literals.</summary>
internal static class MetricsJson
{
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string Write(IReadOnlyDictionary<string, double> metrics) => JsonSerializer.Serialize(metrics, Options);

    public static Dictionary<string, double> Read(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, double>>(json, Options) ?? new Dictionary<string, double>();
}
