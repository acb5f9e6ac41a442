using System.Globalization;
using SeqRec.Configuration;

namespace SeqRec.Tuning.Space;

/// <summary>
/// Reads RecBole's params-file syntax (<c>run_hyper.py --params_file</c>), one parameter per line:
/// <code>
/// learning_rate choice [0.01, 0.001]     # one of the listed values
/// dropout uniform 0.1,0.5                # a real in [0.1, 0.5]
/// weight_decay loguniform -8,0           # exp(u), u uniform in [-8, 0] (natural-log bounds)
/// hidden_size quniform 32,128,32         # a multiple of 32 in [32, 128]
/// </code>
/// Names are validated against the configuration sections (a bare key belongs to the section that has it; or write
/// <c>section.key</c>), values against the parameter's type, bounds and allowed values. Every problem is collected
/// and reported at once, each with its file and line.
/// </summary>
public static class HyperFileParser
{
    private static readonly string[] Types = ["choice", "uniform", "loguniform", "quniform"];

    public static SearchSpace ParseFile(string path, IReadOnlyList<ConfigSectionInfo> sections)
    {
        if (!File.Exists(path)) throw new SeqRecException($"{path}: params file not found");
        return Parse(File.ReadAllText(path), path, sections);
    }

    public static SearchSpace Parse(string text, string origin, IReadOnlyList<ConfigSectionInfo> sections)
    {
        var problems = new List<ConfigError>();
        var domains = new List<ParamDomain>();
        var targets = new ParamTargets(sections);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var source = new ConfigSource(origin, i + 1);
            var line = StripComment(lines[i]).Trim();
            if (line.Length == 0) continue;
            var reader = new LineReader(source, problems);
            if (ParseLine(line, targets, reader) is not { } domain) continue;
            if (domains.FirstOrDefault(d => d.Path == domain.Path) is { } earlier)
                reader.Fail(domain.Path, $"set twice (first on line {earlier.Source.Line})");
            else
                domains.Add(domain);
        }
        if (problems.Count == 0 && domains.Count == 0)
            problems.Add(new ConfigError(new ConfigSource(origin), "", "no parameters to tune (expected lines like 'learning_rate choice [0.01,0.001]')", ConfigSeverity.Error));
        if (problems.Count > 0)
            throw new SeqRecException(string.Join(Environment.NewLine, problems.OrderBy(p => p.Source?.Line ?? 0)));
        return new SearchSpace(origin, domains);
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#');
        return (hash >= 0 ? line[..hash] : line).TrimEnd('\r');
    }

    private static ParamDomain? ParseLine(string line, ParamTargets targets, LineReader reader)
    {
        var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            reader.Fail("", $"expected 'name type values' (e.g. 'learning_rate choice [0.01,0.001]'), got '{line}'");
            return null;
        }
        var (name, type, values) = (parts[0], parts[1], parts[2].Trim());
        var found = targets.Find(name, out var problem);
        if (found is null) reader.Fail(name, problem!);
        var knownType = Types.Contains(type, StringComparer.Ordinal);
        if (!knownType) reader.Fail(name, ConfigReader.UnknownMessage($"type '{type}'", type, Types) + " (expected choice, uniform, loguniform or quniform)");
        if (found is not var (section, param) || !knownType) return null;
        var path = $"{section.Name}.{param.Key}";

        var kind = KindOf(param);
        if (kind is null)
        {
            reader.Fail(path, $"a {param.TypeName} parameter cannot be tuned (only numbers, booleans, strings and enums)");
            return null;
        }
        var target = new Target(section.Name, param, kind.Value, reader, path);
        return type switch
        {
            "choice" => (ParamDomain?)ParseChoice(values, target),
            "uniform" => ParseUniform(values, target, logarithmic: false),
            "loguniform" => ParseUniform(values, target, logarithmic: true),
            _ => ParseQUniform(values, target),
        };
    }

    private static ValueKind? KindOf(ParamInfo param) => param.TypeName.TrimEnd('?') switch
    {
        "int" or "long" => ValueKind.Integer,
        "double" or "float" => ValueKind.Real,
        "bool" => ValueKind.Boolean,
        "string" or "enum" => ValueKind.Text,
        _ => null,
    };

    private static ChoiceDomain? ParseChoice(string text, Target target)
    {
        if (!text.StartsWith('[') || !text.EndsWith(']'))
            return target.Fail<ChoiceDomain>($"expected a list like [1, 2, 3] after 'choice', got '{text}'");
        var body = text[1..^1].Trim();
        if (body.Contains('[') || body.Contains(']'))
            return target.Fail<ChoiceDomain>("nested lists are not supported in a choice");
        if (body.Length == 0) return target.Fail<ChoiceDomain>("the choice list is empty");

        var values = new List<object>();
        var ok = true;
        foreach (var item in body.Split(',').Select(s => s.Trim()))
        {
            if (ParseScalar(item, target) is not { } value)
            {
                ok = false;
                continue;
            }
            if (values.Any(v => ParamValues.AreEqual(v, value)))
            {
                target.Report($"{item} is listed twice");
                ok = false;
            }
            else
            {
                values.Add(value);
            }
        }
        return ok ? new ChoiceDomain(target.Section, target.Param.Key, target.Kind, target.Reader.Source, values) : null;
    }

    private static object? ParseScalar(string item, Target target)
    {
        if (item.Length == 0) return target.Fail<object>("empty value in the list");
        var unquoted = item.Length >= 2 && (item[0] == '\'' || item[0] == '"') && item[^1] == item[0] ? item[1..^1] : null;
        switch (target.Kind)
        {
            case ValueKind.Integer:
                if (!long.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    return target.Fail<object>(IsNumber(item, out _) ? $"{item} is not an integer ({target.Param.Key} is {target.Param.TypeName})" : $"expected an integer, got '{item}'");
                return target.CheckBounds(integer) ? integer : null;
            case ValueKind.Real:
                if (!IsNumber(item, out var real)) return target.Fail<object>($"expected a number, got '{item}'");
                return target.CheckBounds(real) ? real : null;
            case ValueKind.Boolean:
                if (bool.TryParse(unquoted ?? item, out var flag)) return flag;
                return target.Fail<object>($"expected true or false, got '{item}'");
            default:
                var text = unquoted ?? item;
                if (target.Param.AllowedValues.Count == 0) return text;
                var allowed = target.Param.AllowedValues.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase));
                return allowed ?? target.Fail<object>($"'{text}' is not one of {string.Join(", ", target.Param.AllowedValues)}");
        }
    }

    private static NumericDomain? ParseUniform(string text, Target target, bool logarithmic)
    {
        var name = logarithmic ? "loguniform" : "uniform";
        if (target.Kind != ValueKind.Real)
        {
            var hint = target.Kind == ValueKind.Integer ? "; use quniform lo,hi,1 or choice for an integer" : "; use choice";
            return target.Fail<NumericDomain>($"{name} gives real numbers but {target.Param.Key} is {target.Param.TypeName}{hint}");
        }
        if (ParseNumbers(text, 2, $"{name} lo,hi", target) is not [var low, var high]) return null;
        if (low >= high) return target.Fail<NumericDomain>($"the lower bound {ConfigReader.Format(low)} is not below the upper bound {ConfigReader.Format(high)}");
        var ok = target.CheckBounds(logarithmic ? Math.Exp(low) : low, logarithmic ? $"exp({ConfigReader.Format(low)})" : null)
                 & target.CheckBounds(logarithmic ? Math.Exp(high) : high, logarithmic ? $"exp({ConfigReader.Format(high)})" : null);
        if (!ok) return null;
        return logarithmic
            ? new LogUniformDomain(target.Section, target.Param.Key, target.Reader.Source, low, high)
            : new UniformDomain(target.Section, target.Param.Key, target.Reader.Source, low, high);
    }

    private static QUniformDomain? ParseQUniform(string text, Target target)
    {
        if (target.Kind is not (ValueKind.Integer or ValueKind.Real))
            return target.Fail<QUniformDomain>($"quniform gives numbers but {target.Param.Key} is {target.Param.TypeName}; use choice");
        if (ParseNumbers(text, 3, "quniform lo,hi,q", target) is not [var low, var high, var q]) return null;
        if (q <= 0) return target.Fail<QUniformDomain>($"the step q must be positive, got {ConfigReader.Format(q)}");
        if (low > high) return target.Fail<QUniformDomain>($"the lower bound {ConfigReader.Format(low)} is above the upper bound {ConfigReader.Format(high)}");
        if (target.Kind == ValueKind.Integer && new[] { low, high, q }.Any(v => v != Math.Floor(v)))
            return target.Fail<QUniformDomain>($"{target.Param.Key} is {target.Param.TypeName}: quniform bounds and step must be integers");
        var domain = new QUniformDomain(target.Section, target.Param.Key, target.Kind, target.Reader.Source, low, high, q);
        var grid = domain.GridValues();
        if (grid.Count == 0) return target.Fail<QUniformDomain>($"no multiple of {ConfigReader.Format(q)} lies in [{ConfigReader.Format(low)}, {ConfigReader.Format(high)}]");
        var ok = target.CheckBounds(Convert.ToDouble(grid[0], CultureInfo.InvariantCulture)) & target.CheckBounds(Convert.ToDouble(grid[^1], CultureInfo.InvariantCulture));
        return ok ? domain : null;
    }

    private static double[]? ParseNumbers(string text, int count, string form, Target target)
    {
        var items = text.Split(',').Select(s => s.Trim()).ToArray();
        if (items.Length != count) return target.Fail<double[]>($"expected '{form}' ({count} comma-separated numbers), got '{text}'");
        var numbers = new double[count];
        for (var i = 0; i < count; i++)
        {
            if (!IsNumber(items[i], out numbers[i])) return target.Fail<double[]>($"expected a number, got '{items[i]}' in '{text}'");
        }
        return numbers;
    }

    private static bool IsNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Collects the problems of one line, each naming the line and (when known) the parameter path.</summary>
    private sealed class LineReader(ConfigSource source, List<ConfigError> problems)
    {
        public ConfigSource Source => source;

        public void Fail(string path, string message) => problems.Add(new ConfigError(source, path, message, ConfigSeverity.Error));
    }

    private sealed record Target(string Section, ParamInfo Param, ValueKind Kind, LineReader Reader, string Path)
    {
        public void Report(string message) => Reader.Fail(Path, message);

        public T? Fail<T>(string message) where T : class
        {
            Report(message);
            return null;
        }

        /// <summary>Checks <paramref name="value"/> against the parameter's [Min, Max]; reports and returns false outside.</summary>
        public bool CheckBounds(double value, string? shownAs = null)
        {
            var shown = shownAs is null ? ConfigReader.Format(value) : $"{shownAs} = {ConfigReader.Format(value)}";
            if (Param.Min is { } min && value < min) Report($"{shown} is below the minimum {ConfigReader.Format(min)}");
            else if (Param.Max is { } max && value > max) Report($"{shown} is above the maximum {ConfigReader.Format(max)}");
            else return true;
            return false;
        }
    }
}
