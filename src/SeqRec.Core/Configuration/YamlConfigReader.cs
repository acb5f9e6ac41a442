using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SeqRec.Configuration;

/// <summary>
/// The single YamlDotNet adapter: reads a RecBole YAML config (<c>--config lightsans.yaml</c>) into a
/// <see cref="ConfigTable"/> whose nodes carry their <c>file:line</c>. Plain scalars are typed as RecBole's PyYAML
/// loader types them (YAML 1.1: <c>yes</c>/<c>no</c> are booleans, <c>1e-3</c> is a float, <c>~</c> is null); quoted
/// scalars stay strings. A null value is left out, so the key keeps its default or an earlier layer's value.
/// </summary>
public static partial class YamlConfigReader
{
    /// <summary>Nesting deeper than any config needs is refused (and keeps the reader's recursion shallow).</summary>
    public const int MaxDepth = 32;

    /// <summary>Reads YAML text; <paramref name="origin"/> names it in errors.</summary>
    public static ConfigTable? Read(string text, string origin, ConfigErrors errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = (e.InnerException ?? e).Message;
            errors.General(new ConfigSource(origin, (int)e.Start.Line), $"column {e.Start.Column}: malformed YAML: {message}");
            return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            errors.General(new ConfigSource(origin), $"malformed YAML: {e.Message}");
            return null;
        }

        var root = new ConfigTable(new ConfigSource(origin));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return root;
        if (stream.Documents.Count > 1)
        {
            errors.General(new ConfigSource(origin, (int)stream.Documents[1].RootNode.Start.Line), "a config file holds one YAML document, this is a second");
            return null;
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            errors.General(Source(origin, stream.Documents[0].RootNode), "expected a mapping of keys to values (key: value) at the top level");
            return null;
        }
        var before = errors.Errors.Count;
        new Walk(origin, errors).Fill(root, mapping, depth: 1);
        return errors.Errors.Count > before ? null : root;
    }

    /// <summary>
    /// One file's conversion. An alias (<c>*name</c>) is refused: RecBole's configs don't use them, and expanded they
    /// let a few hundred bytes of nested aliases stand for billions of nodes.
    /// </summary>
    private sealed class Walk(string origin, ConfigErrors errors)
    {
        private readonly HashSet<YamlNode> _seen = new(ReferenceEqualityComparer.Instance);

        /// <summary>Copies a mapping's entries; YamlDotNet has already refused a key given twice.</summary>
        public void Fill(ConfigTable table, YamlMappingNode mapping, int depth)
        {
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var source = Source(origin, keyNode);
                if (keyNode is not YamlScalarNode { Value: { } key })
                {
                    errors.General(source, "a key must be a plain name");
                    continue;
                }
                if (ToNode(valueNode, source, source, depth) is { } node) table.Set(key, node);
            }
        }

        /// <param name="user">Where the value is used: an alias resolves to the node it names, which only knows where it was defined.</param>
        private ConfigNode? ToNode(YamlNode value, ConfigSource source, ConfigSource user, int depth)
        {
            if (!_seen.Add(value))
            {
                errors.General(user, $"YAML aliases are not supported in config files (*{value.Anchor.Value} repeats the value defined at line {value.Start.Line}); write the value out");
                return null;
            }
            if (depth > MaxDepth)
            {
                errors.General(source, $"nested more than {MaxDepth} levels deep");
                return null;
            }
            switch (value)
            {
                case YamlScalarNode scalar:
                    return Scalar(scalar) is { } typed ? new ConfigScalar(typed, source) : null;
                case YamlSequenceNode sequence:
                    var items = new List<ConfigNode>();
                    foreach (var item in sequence.Children)
                    {
                        if (ToNode(item, Source(origin, item), source, depth + 1) is { } node) items.Add(node);
                    }
                    return new ConfigArray(items, source);
                case YamlMappingNode nested:
                    var table = new ConfigTable(source);
                    Fill(table, nested, depth + 1);
                    return table;
                default:
                    errors.General(source, $"values of this kind ({value.NodeType}) are not used by SeqRec configs");
                    return null;
            }
        }
    }

    /// <summary>The scalar's value as PyYAML's loader types it; null for YAML's null.</summary>
    private static object? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain) return text;
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON") return true;
        if (text is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF") return false;
        var digits = text.Replace("_", "", StringComparison.Ordinal);
        if (IntegerPattern().IsMatch(text) && long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return integer;
        if (FloatPattern().IsMatch(text) && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
            return real;
        return text switch
        {
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
            "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
            ".nan" or ".NaN" or ".NAN" => double.NaN,
            _ => text,
        };
    }

    private static ConfigSource Source(string origin, YamlNode node) => new(origin, (int)node.Start.Line);

    [GeneratedRegex("^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex IntegerPattern();

    /// <summary>RecBole's float resolver: unlike plain YAML 1.1 it also takes <c>1e-3</c> and <c>1.</c>.</summary>
    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+|\.[0-9_]+([eE][-+]?[0-9]+)?)$")]
    private static partial Regex FloatPattern();
}
