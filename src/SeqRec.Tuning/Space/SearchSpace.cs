namespace SeqRec.Tuning.Space;

/// <summary>The parameters a study varies (one <see cref="ParamDomain"/> per params-file line) and where they came from.</summary>
public sealed class SearchSpace
{
    /// <summary>Grids beyond this many points are refused: an exhaustive search over them would never finish.</summary>
    public const long MaxGridSize = 1_000_000;

    public SearchSpace(string origin, IReadOnlyList<ParamDomain> domains)
    {
        Origin = origin;
        Domains = domains;
    }

    /// <summary>The params file (for messages).</summary>
    public string Origin { get; }

    public IReadOnlyList<ParamDomain> Domains { get; }

    /// <summary>True when every domain is discrete, so the space is a finite grid.</summary>
    public bool IsGrid => Domains.All(d => d.IsDiscrete);

    /// <summary>The number of grid points, or null for a space with a continuous domain.</summary>
    public long? GridSize => IsGrid ? Domains.Aggregate(1L, (n, d) => SaturatingMultiply(n, d.GridValues().Count)) : null;

    /// <summary>Identifies the space in a study, so a worker started with another params file is refused.</summary>
    public string Signature => string.Join("; ", Domains.Select(d => $"{d.Path} {d.Describe()}"));

    /// <summary>Every grid point, the first domain varying slowest.</summary>
    public IReadOnlyList<ParamAssignment> GridPoints()
    {
        if (GridSize is not { } size) throw new InvalidOperationException("the space has a continuous range");
        if (size > MaxGridSize) throw new SeqRecException($"{Origin}: the grid has {size} points (more than {MaxGridSize}); use --algo random or bayes");
        var points = new List<ParamAssignment>((int)size);
        var values = Domains.Select(d => d.GridValues()).ToArray();
        var index = new int[Domains.Count];
        for (var n = 0; n < size; n++)
        {
            points.Add(new ParamAssignment(Domains.Select((d, i) => new KeyValuePair<string, object>(d.Path, values[i][index[i]]))));
            for (var i = index.Length - 1; i >= 0; i--)
            {
                if (++index[i] < values[i].Count) break;
                index[i] = 0;
            }
        }
        return points;
    }

    /// <summary>One point drawn from every domain's prior.</summary>
    public ParamAssignment Sample(Random random) =>
        new(Domains.Select(d => new KeyValuePair<string, object>(d.Path, d.Sample(random))));

    private static long SaturatingMultiply(long a, long b) => a > long.MaxValue / Math.Max(b, 1) ? long.MaxValue : a * b;
}
