using SeqRec.Configuration;

namespace SeqRec.Tuning.Space;

/// <summary>How a tuned value is represented: <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or <see cref="string"/>.</summary>
public enum ValueKind { Integer, Real, Boolean, Text }

/// <summary>
/// One line of a params file: the parameter it sets (<see cref="Section"/>.<see cref="Key"/>), how its values are
/// represented, and the distribution they are drawn from.
/// </summary>
public abstract record ParamDomain(string Section, string Key, ValueKind Kind, ConfigSource Source)
{
    /// <summary>The <c>section.key</c> path, usable as a <c>--set</c> override.</summary>
    public string Path => $"{Section}.{Key}";

    /// <summary>True when the domain has finitely many values (<see cref="GridValues"/> lists them).</summary>
    public abstract bool IsDiscrete { get; }

    /// <summary>Every value of a discrete domain, in the order written; throws for a continuous one.</summary>
    public abstract IReadOnlyList<object> GridValues();

    /// <summary>One value drawn from the prior (the distribution as written).</summary>
    public abstract object Sample(Random random);

    /// <summary>A short description for the study signature and reports, e.g. <c>loguniform(-8, 0)</c>.</summary>
    public abstract string Describe();
}

/// <summary><c>name choice [a, b, c]</c>: one of the listed values.</summary>
public sealed record ChoiceDomain(string Section, string Key, ValueKind Kind, ConfigSource Source, IReadOnlyList<object> Values)
    : ParamDomain(Section, Key, Kind, Source)
{
    public override bool IsDiscrete => true;

    public override IReadOnlyList<object> GridValues() => Values;

    public override object Sample(Random random) => Values[random.Next(Values.Count)];

    public override string Describe() => "choice[" + string.Join(", ", Values.Select(TomlConfigWriter.Value)) + "]";

    /// <summary>The index of <paramref name="value"/> among <see cref="Values"/>, or -1.</summary>
    public int IndexOf(object value)
    {
        for (var i = 0; i < Values.Count; i++)
        {
            if (ParamValues.AreEqual(Values[i], value)) return i;
        }
        return -1;
    }
}

/// <summary>A continuous or quantised numeric range, sampled in <see cref="ToSearch"/> space.</summary>
public abstract record NumericDomain(string Section, string Key, ValueKind Kind, ConfigSource Source)
    : ParamDomain(Section, Key, Kind, Source)
{
    /// <summary>Lower bound in search space (natural log for loguniform).</summary>
    public abstract double SearchLow { get; }

    /// <summary>Upper bound in search space.</summary>
    public abstract double SearchHigh { get; }

    /// <summary>Quantisation step in search space, or null for a continuous range.</summary>
    public virtual double? Step => null;

    public abstract double ToSearch(object value);

    /// <summary>Maps a search-space point back to a parameter value (rounded to the step, clamped into range).</summary>
    public abstract object FromSearch(double x);

    public override object Sample(Random random) => FromSearch(SearchLow + (random.NextDouble() * (SearchHigh - SearchLow)));
}

/// <summary><c>name uniform lo,hi</c>: a real value uniformly in [lo, hi].</summary>
public sealed record UniformDomain(string Section, string Key, ConfigSource Source, double Low, double High)
    : NumericDomain(Section, Key, ValueKind.Real, Source)
{
    public override bool IsDiscrete => false;
    public override double SearchLow => Low;
    public override double SearchHigh => High;
    public override IReadOnlyList<object> GridValues() => throw new InvalidOperationException("a uniform range has no grid");
    public override double ToSearch(object value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
    public override object FromSearch(double x) => Math.Clamp(x, Low, High);
    public override string Describe() => $"uniform({ConfigReader.Format(Low)}, {ConfigReader.Format(High)})";
}

/// <summary><c>name loguniform lo,hi</c>: exp(u) with u uniform in [lo, hi] (natural-log bounds, as hyperopt).</summary>
public sealed record LogUniformDomain(string Section, string Key, ConfigSource Source, double LogLow, double LogHigh)
    : NumericDomain(Section, Key, ValueKind.Real, Source)
{
    public override bool IsDiscrete => false;
    public override double SearchLow => LogLow;
    public override double SearchHigh => LogHigh;
    public override IReadOnlyList<object> GridValues() => throw new InvalidOperationException("a loguniform range has no grid");
    public override double ToSearch(object value) => Math.Log(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
    public override object FromSearch(double x) => Math.Clamp(Math.Exp(x), Math.Exp(LogLow), Math.Exp(LogHigh));
    public override string Describe() => $"loguniform({ConfigReader.Format(LogLow)}, {ConfigReader.Format(LogHigh)})";
}

/// <summary>
/// <c>name quniform lo,hi,q</c>: a uniform value rounded to a multiple of q and kept in [lo, hi]. Integer
/// parameters get integers (RecBole hands them over as floats, which is one of the bugs not reproduced here).
/// </summary>
public sealed record QUniformDomain(string Section, string Key, ValueKind Kind, ConfigSource Source, double Low, double High, double Q)
    : NumericDomain(Section, Key, Kind, Source)
{
    public override bool IsDiscrete => true;
    public override double SearchLow => Low;
    public override double SearchHigh => High;
    public override double? Step => Q;

    public override IReadOnlyList<object> GridValues()
    {
        var values = new List<object>();
        var first = Math.Ceiling((Low / Q) - 1e-9);
        var last = Math.Floor((High / Q) + 1e-9);
        for (var k = first; k <= last; k++) values.Add(Typed(k * Q));
        return values;
    }

    public override double ToSearch(object value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);

    public override object FromSearch(double x)
    {
        var rounded = Math.Round(x / Q, MidpointRounding.AwayFromZero) * Q;
        if (rounded < Low - 1e-9) rounded += Q;
        if (rounded > High + 1e-9) rounded -= Q;
        return Typed(rounded);
    }

    public override string Describe() => $"quniform({ConfigReader.Format(Low)}, {ConfigReader.Format(High)}, {ConfigReader.Format(Q)})";

    // Multiples of a decimal step such as 0.1 carry binary noise (0.30000000000000004); 12 significant digits remove it.
    private object Typed(double value) => Kind == ValueKind.Integer ? (object)(long)Math.Round(value) : Math.Round(value, 12);
}
