using System.CommandLine;
using SeqRec.Configuration;

namespace SeqRec.Cli.Commands;

/// <summary><c>seqrec config</c>: prints the fully resolved configuration as TOML, or every error in it.</summary>
internal static class ConfigCommand
{
    public static Command Create(ModelHost host)
    {
        var options = new CommonOptions.ConfigOptions(host);
        var command = new Command("config", "Print the fully resolved configuration (defaults < files < --set) as TOML.");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var config = options.Resolve(parse);
            parse.InvocationConfiguration.Output.Write(TomlConfigWriter.Write(config));
            return CliApp.Ok;
        });
        return command;
    }
}
