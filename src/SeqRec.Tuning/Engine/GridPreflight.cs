using SeqRec.Modeling;
using SeqRec.Configuration;
using SeqRec.Tuning.Space;

namespace SeqRec.Tuning.Engine;

/// <summary>
/// Resolves the configuration of every grid point before the first trial, so a cross-field rule that only some
/// points break (hidden_size not divisible by n_heads) is reported up front instead of as failed trials hours later.
/// </summary>
public static class GridPreflight
{
    /// <summary>Grids larger than this are not checked point by point (resolving costs about a millisecond each).</summary>
    public const int MaxCheckedPoints = 5000;

    public static void Check(SearchSpace space, ConfigRequest baseRequest, ModelRegistry models)
    {
        if (space.GridSize is not { } size || size > MaxCheckedPoints) return;
        var problems = new List<string>();
        foreach (var point in space.GridPoints())
        {
            try
            {
                ConfigResolver.Resolve(baseRequest with { Sets = [.. baseRequest.Sets, .. point.ToOverrides()] }, models);
            }
            catch (ConfigException e)
            {
                problems.AddRange(e.Errors.Select(error => $"{space.Origin}: the point ({point.Describe()}) is invalid: {error.Path}: {error.Message}"));
            }
        }
        if (problems.Count > 0)
        {
            const int Shown = 10;
            var more = problems.Count > Shown ? $"{Environment.NewLine}... and {problems.Count - Shown} more" : "";
            throw new SeqRecException(string.Join(Environment.NewLine, problems.Take(Shown)) + more);
        }
    }
}
