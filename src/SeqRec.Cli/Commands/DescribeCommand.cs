using System.CommandLine;
using SeqRec.Configuration;
using SeqRec.Models;
using Spectre.Console;

namespace SeqRec.Cli.Commands;

/// <summary><c>seqrec describe &lt;model|section&gt;</c>: the parameter table with defaults, bounds and allowed values.</summary>
internal static class DescribeCommand
{
    public static Command Create(ModelHost host)
    {
        var target = new Argument<string>("name") { Description = "A model id (lightsans) or a section (data, trainer, eval)." };
        var json = CommonOptions.Json();
        var command = new Command("describe", "Show a model's or section's parameters: key, type, default, bounds, allowed values.");
        command.Arguments.Add(target);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var name = parse.GetValue(target)!;
            var model = host.Registry.Find(name);
            var section = model?.Config ?? ConfigResolver.CoreSections.FirstOrDefault(s => s.Name == name);
            if (section is null)
            {
                var known = host.Registry.All.Select(m => m.Id).Concat(ConfigResolver.CoreSections.Select(s => s.Name)).ToList();
                throw new SeqRecException($"describe: {ConfigReader.UnknownMessage($"model or section '{name}'", name, known)} (known: {string.Join(", ", known)})");
            }

            if (parse.GetValue(json))
            {
                CommonOptions.WriteJson(parse, new
                {
                    Section = section.Name,
                    Model = model?.DisplayName,
                    Remarks = model?.Remarks,
                    Parameters = section.Parameters.Select(p => new
                    {
                        p.Key,
                        p.Alias,
                        Type = p.TypeName,
                        Default = p.AllowedValues.Count > 0 ? p.Default?.ToString() : p.Default,
                        p.Min,
                        p.Max,
                        Allowed = p.AllowedValues,
                        p.Help,
                    }).ToList(),
                });
                return CliApp.Ok;
            }
            var console = ConsoleFor.Output(parse);
            var title = model is null ? $"[[{section.Name}]]" : $"{model.DisplayName} ([[{section.Name}]])";
            var table = new Table { Title = new TableTitle(title) }.AddColumns("key", "type", "default", "range / allowed", "help");
            foreach (var p in section.Parameters)
            {
                var key = p.Alias is null ? p.Key : $"{p.Key} (alias {p.Alias})";
                table.AddRow(Markup.Escape(key), Markup.Escape(p.TypeName), Markup.Escape(p.AllowedValues.Count > 0 ? p.Default?.ToString() ?? "" : Format(p.Default)), Markup.Escape(Range(p)), Markup.Escape(p.Help));
            }
            console.Write(table);
            if (model is { Remarks.Length: > 0 })
                console.Write(new Panel(Markup.Escape(model.Remarks)) { Header = new PanelHeader("remarks") });
            return CliApp.Ok;
        });
        return command;
    }

    private static string Format(object? value) => value is null ? "(unset)" : TomlConfigWriter.Value(value);

    private static string Range(ParamInfo p)
    {
        if (p.AllowedValues.Count > 0) return string.Join(", ", p.AllowedValues);
        if (p.Min is null && p.Max is null) return "";
        return $"[{(p.Min is { } min ? ConfigReader.Format(min) : "-inf")}, {(p.Max is { } max ? ConfigReader.Format(max) : "inf")}]";
    }
}
