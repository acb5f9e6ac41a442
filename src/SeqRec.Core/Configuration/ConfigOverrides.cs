using System.Collections;
using System.Globalization;

namespace SeqRec.Configuration;

/// <summary>Builds config layers from <c>--set section.key=value</c> arguments and from an in-code dictionary.</summary>
public static class ConfigOverrides
{
    /// <summary>
    /// Parses <c>--set</c> arguments. The value is read as a TOML value (<c>3</c>, <c>0.5</c>, <c>true</c>,
    /// <c>[5, 10]</c>, <c>"text"</c>); anything that is not valid TOML is taken as a bare string (<c>gelu</c>).
    /// </summary>
    public static ConfigTable FromSetArguments(IEnumerable<string> arguments, ConfigErrors errors)
    {
        var root = new ConfigTable(ConfigSource.CommandLine);
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=');
            var path = equals > 0 ? argument[..equals].Trim() : "";
            if (path.Length == 0 || path.Split('.').Any(p => p.Length == 0))
            {
                errors.General(ConfigSource.CommandLine, $"'{argument}' is not of the form section.key=value");
                continue;
            }
            Assign(root, path, ParseValue(argument[(equals + 1)..].Trim()), errors);
        }
        return root;
    }

    /// <summary>Builds a layer from <c>["trainer.epochs"] = 5</c>-style entries (nested dictionaries also work).</summary>
    public static ConfigTable FromDictionary(IReadOnlyDictionary<string, object?> values, ConfigErrors errors)
    {
        var root = new ConfigTable(ConfigSource.Code);
        foreach (var (path, value) in values)
        {
            if (value is null) continue;
            if (ToNode(value, path, errors) is { } node) Assign(root, path, node, errors);
        }
        return root;
    }

    private static ConfigNode ParseValue(string text)
    {
        var scratch = new ConfigErrors();
        if (text.Length > 0 && TomlConfigReader.Read("v = " + text, "--set", scratch)?["v"] is { } parsed)
            return Relabel(parsed);
        return new ConfigScalar(text, ConfigSource.CommandLine);
    }

    private static ConfigNode Relabel(ConfigNode node) => node switch
    {
        ConfigScalar s => new ConfigScalar(s.Value, ConfigSource.CommandLine),
        ConfigArray a => new ConfigArray(a.Items.Select(Relabel).ToList(), ConfigSource.CommandLine),
        _ => node,
    };

    private static void Assign(ConfigTable root, string path, ConfigNode node, ConfigErrors errors)
    {
        var parts = path.Split('.');
        var target = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (target[parts[i]] is { } existing and not ConfigTable)
            {
                errors.General(node.Source, $"{path}: '{parts[i]}' is a value, not a section ({existing.Describe()})");
                return;
            }
            target = target.GetOrAddTable(parts[i], node.Source);
        }
        if (node is ConfigTable table && target[parts[^1]] is ConfigTable existingTable)
            existingTable.MergeFrom(table);
        else
            target.Set(parts[^1], node);
    }

    private static ConfigNode? ToNode(object value, string path, ConfigErrors errors)
    {
        var source = ConfigSource.Code;
        switch (value)
        {
            case string s: return new ConfigScalar(s, source);
            case bool b: return new ConfigScalar(b, source);
            case int or long or short or byte or sbyte or uint or ushort:
                return new ConfigScalar(Convert.ToInt64(value, CultureInfo.InvariantCulture), source);
            case double or float or decimal:
                return new ConfigScalar(Convert.ToDouble(value, CultureInfo.InvariantCulture), source);
            case Enum e: return new ConfigScalar(e.ToString(), source);
            case IReadOnlyDictionary<string, object?> dictionary:
                var table = new ConfigTable(source);
                foreach (var (key, item) in dictionary)
                {
                    if (item is not null && ToNode(item, $"{path}.{key}", errors) is { } child) table.Set(key, child);
                }
                return table;
            case IEnumerable sequence:
                var items = new List<ConfigNode>();
                foreach (var item in sequence)
                {
                    if (item is not null && ToNode(item, path, errors) is { } child) items.Add(child);
                }
                return new ConfigArray(items, source);
            default:
                errors.General(source, $"{path}: values of type {value.GetType().Name} are not supported");
                return null;
        }
    }
}
