using System.CommandLine;
using Spectre.Console;

namespace SeqRec.Cli.Commands;

/// <summary><c>seqrec models</c>: the model registry.</summary>
internal static class ModelsCommand
{
    public static Command Create(ModelHost host)
    {
        var json = CommonOptions.Json();
        var command = new Command("models", "List the registered models.");
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            if (parse.GetValue(json))
            {
                CommonOptions.WriteJson(parse, host.Registry.All.Select(m => new { m.Id, m.DisplayName, m.Paper, Assembly = m.AssemblyLabel, m.Remarks }).ToList());
                return CliApp.Ok;
            }
            var table = new Table().AddColumns("id", "name", "paper", "assembly");
            foreach (var model in host.Registry.All)
                table.AddRow(Markup.Escape(model.Id), Markup.Escape(model.DisplayName), Markup.Escape(model.Paper), Markup.Escape(model.AssemblyLabel));
            ConsoleFor.Output(parse).Write(table);
            return CliApp.Ok;
        });
        return command;
    }
}
