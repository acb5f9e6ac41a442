using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace SeqRec.Configuration;

/// <summary>
/// The single Tomlyn adapter: turns TOML text into a <see cref="ConfigTable"/> whose every node carries its
/// <c>file:line</c>. It walks Tomlyn's syntax tree (not its object model) because only the tree knows lines.
/// </summary>
public static class TomlConfigReader
{
    /// <summary>Reads TOML text; <paramref name="origin"/> names it in errors (a path, or "--set").</summary>
    public static ConfigTable? Read(string text, string origin, ConfigErrors errors)
    {
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, origin, true);
        }
        catch (Tomlyn.TomlException e)
        {
            // The parser refuses nesting beyond its depth limit by throwing rather than by a diagnostic.
            errors.General(new ConfigSource(origin), $"malformed TOML: {e.Message.Split(". Change ")[0]}");
            return null;
        }
        if (document.HasErrors)
        {
            // The first syntax error is the one to fix; the parser's follow-up errors are mostly its recovery noise.
            var first = document.Diagnostics.First();
            var start = first.Span.Start;
            errors.General(new ConfigSource(origin, start.Line + 1), $"column {start.Column + 1}: malformed TOML: {first.Message}");
            return null;
        }

        var root = new ConfigTable(new ConfigSource(origin));
        var before = errors.Errors.Count;
        foreach (var keyValue in document.KeyValues) AddKeyValue(root, keyValue, origin, errors);
        foreach (var table in document.Tables)
        {
            var line = table.Span.Start.Line + 1;
            if (table is not TableSyntax)
            {
                errors.General(new ConfigSource(origin, line), "arrays of tables ([[...]]) are not used by SeqRec configs");
                continue;
            }
            var target = root;
            foreach (var part in KeyParts(table.Name!))
            {
                if (target[part] is { } existing and not ConfigTable)
                {
                    errors.General(new ConfigSource(origin, line), $"'{part}' is already a value, not a table (set on line {existing.Source.Line})");
                    target = null;
                    break;
                }
                target = target.GetOrAddTable(part, new ConfigSource(origin, line));
            }
            if (target is null) continue;
            foreach (var keyValue in table.Items) AddKeyValue(target, keyValue, origin, errors);
        }
        return errors.Errors.Count > before ? null : root;
    }

    private static void AddKeyValue(ConfigTable table, KeyValueSyntax keyValue, string origin, ConfigErrors errors)
    {
        var source = new ConfigSource(origin, keyValue.Span.Start.Line + 1);
        var parts = KeyParts(keyValue.Key!);
        var target = table;
        for (var i = 0; i < parts.Count - 1; i++) target = target.GetOrAddTable(parts[i], source);
        var key = parts[^1];
        if (target[key] is { } previous)
        {
            errors.General(source, $"'{string.Join('.', parts)}' is defined twice (first on line {previous.Source.Line})");
            return;
        }
        if (ToNode(keyValue.Value!, source, origin, errors) is { } node) target.Set(key, node);
    }

    private static ConfigNode? ToNode(ValueSyntax value, ConfigSource source, string origin, ConfigErrors errors)
    {
        switch (value)
        {
            case IntegerValueSyntax i: return new ConfigScalar(i.Value, source);
            case FloatValueSyntax f: return new ConfigScalar(f.Value, source);
            case BooleanValueSyntax b: return new ConfigScalar(b.Value, source);
            case StringValueSyntax s: return new ConfigScalar(s.Value!, source);
            case ArraySyntax array:
                var items = new List<ConfigNode>();
                foreach (var item in array.Items)
                {
                    if (ToNode(item.Value!, source, origin, errors) is { } node) items.Add(node);
                }
                return new ConfigArray(items, source);
            case InlineTableSyntax inline:
                var table = new ConfigTable(source);
                foreach (var item in inline.Items) AddKeyValue(table, item.KeyValue!, origin, errors);
                return table;
            default:
                errors.General(source, $"values of this kind ({value.Kind}) are not used by SeqRec configs");
                return null;
        }
    }

    private static List<string> KeyParts(KeySyntax key)
    {
        var parts = new List<string> { KeyText(key.Key!) };
        foreach (var dotted in key.DotKeys) parts.Add(KeyText(dotted.Key!));
        return parts;
    }

    private static string KeyText(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value!,
        _ => key.ToString()!.Trim(),
    };
}
