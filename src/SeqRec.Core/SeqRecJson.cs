using System.Text.Json;
using System.Text.Json.Serialization;

namespace SeqRec;

/// <summary>
/// The JSON settings of every file and output SeqRec writes: snake_case names, and NaN or infinities written as
/// named literals (a diverged or failed measurement stays readable instead of failing the write).
/// </summary>
public static class SeqRecJson
{
    /// <summary>Result files (results.json, benchmark points, comparison reports): indented, absent values left out.</summary>
    public static JsonSerializerOptions Files { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>What commands print with <c>--json</c>: indented, every field present (null included) for consumers.</summary>
    public static JsonSerializerOptions Output { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>JSON inside binary files (checkpoint headers, resume states): one line.</summary>
    public static JsonSerializerOptions Compact { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
