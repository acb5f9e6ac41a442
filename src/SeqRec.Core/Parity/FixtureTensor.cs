using System.Text.Json;
using static TorchSharp.torch;

namespace SeqRec.Parity;

/// <summary>A tensor of a parity fixture: shape and flat row-major values, as the reference wrote them.</summary>
public sealed record FixtureTensor(long[] Shape, double[] Data)
{
    /// <summary>Reads <c>{"shape": [...], "data": [...]}</c>; a shape that does not fit the data is an error naming <paramref name="where"/>.</summary>
    public static FixtureTensor From(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !element.TryGetProperty("data", out var dataElement) || dataElement.ValueKind != JsonValueKind.Array)
            throw new SeqRecException($"{where}: expected a tensor {{\"shape\": [...], \"data\": [...]}}");
        var shape = shapeElement.EnumerateArray().Select(e => e.TryGetInt64(out var d) && d >= 0 ? d : throw new SeqRecException($"{where}: shape entries must be non-negative integers")).ToArray();
        var data = dataElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw new SeqRecException($"{where}: data must hold numbers")).ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length)
            throw new SeqRecException($"{where}: shape [{string.Join(", ", shape)}] needs {count} values, data has {data.Length}");
        return new FixtureTensor(shape, data);
    }

    public Tensor ToFloat() => tensor(Data.Select(d => (float)d).ToArray(), Shape);

    public Tensor ToLong() => tensor(Data.Select(d => (long)d).ToArray(), Shape);
}
