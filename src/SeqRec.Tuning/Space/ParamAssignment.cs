using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SeqRec.Configuration;

namespace SeqRec.Tuning.Space;

/// <summary>
/// The values of one trial, by <c>section.key</c> path, in the order of the search space. Immutable; two assignments
/// with the same values have the same <see cref="Hash"/> (the study store's uniqueness key for grid points).
/// </summary>
public sealed class ParamAssignment
{
    private readonly KeyValuePair<string, object>[] _values;

    public ParamAssignment(IEnumerable<KeyValuePair<string, object>> values)
    {
        _values = values.ToArray();
        Hash = ComputeHash(_values);
    }

    public IReadOnlyList<KeyValuePair<string, object>> Values => _values;

    public string Hash { get; }

    public object this[string path] => _values.First(v => v.Key == path).Value;

    /// <summary>The values as <c>--set</c> arguments, e.g. <c>trainer.learning_rate=0.001</c>.</summary>
    public IReadOnlyList<string> ToOverrides() => _values.Select(v => $"{v.Key}={TomlConfigWriter.Value(v.Value)}").ToList();

    /// <summary>One line for logs and tables: <c>learning_rate=0.001, num_layers=2</c>.</summary>
    public string Describe() => string.Join(", ", _values.Select(v => $"{v.Key[(v.Key.IndexOf('.') + 1)..]}={ParamValues.Canonical(v.Value)}"));

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (path, value) in _values)
            {
                switch (value)
                {
                    case long l: writer.WriteNumber(path, l); break;
                    case double d: writer.WriteNumber(path, d); break;
                    case bool b: writer.WriteBoolean(path, b); break;
                    default: writer.WriteString(path, (string)value); break;
                }
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads <see cref="ToJson"/> back, typing each value by its domain in <paramref name="space"/>.</summary>
    public static ParamAssignment FromJson(string json, SearchSpace space)
    {
        using var document = JsonDocument.Parse(json);
        var values = new List<KeyValuePair<string, object>>();
        foreach (var domain in space.Domains)
        {
            if (!document.RootElement.TryGetProperty(domain.Path, out var element))
                throw new SeqRecException($"stored trial parameters {json} lack '{domain.Path}': the study was created with another params file");
            object value = domain.Kind switch
            {
                ValueKind.Integer => element.GetInt64(),
                ValueKind.Real => element.GetDouble(),
                ValueKind.Boolean => element.GetBoolean(),
                _ => element.GetString() ?? "",
            };
            values.Add(new(domain.Path, value));
        }
        return new ParamAssignment(values);
    }

    private static string ComputeHash(IEnumerable<KeyValuePair<string, object>> values)
    {
        var text = string.Join("\n", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value.GetType().Name}:{ParamValues.Canonical(v.Value)}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
