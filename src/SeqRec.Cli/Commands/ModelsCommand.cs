using System.CommandLine;
using Spectre.Console;

namespace SeqRec.Cli.Commands;

/// <summary><c>seqrec models</c>: the model registry.</summary>
internal static class ModelsCommand
{
    public static Command Create(ModelHost host)
    {
        var command = new Command("models", "List the registered models.");
        command.SetAction(parse =>
        {
            var table = new Table().AddColumns("id", "name", "paper", "assembly");
            foreach (var model in host.Registry.All)
                table.AddRow(Markup.Escape(model.Id), Markup.Escape(model.DisplayName), Markup.Escape(model.Paper), Markup.Escape(model.AssemblyLabel));
            ConsoleFor.Output(parse).Write(table);
            return CliApp.Ok;
        });
        return command;
    }
}
