using System.CommandLine;
using SeqRec.Configuration;
using SeqRec.Models;

namespace SeqRec.Cli.Commands;

/// <summary>Options shared by the commands that resolve a configuration.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print what seqrec sets up (allocator, threads, files) before it runs.",
        Recursive = true,
    };

    public static Option<string[]> ConfigFiles() => new("--config", "-c")
    {
        Description = "A config file, TOML or RecBole YAML (.yaml/.yml); repeat to layer several (later files win).",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string[]> Sets() => new("--set", "-s")
    {
        Description = "Override one value: section.key=value (e.g. lightsans.k_interests=10); repeatable, wins over files.",
    };

    public static Option<string?> Model() => new("--model", "-m") { Description = "Model id (see 'seqrec models')." };

    public static Option<string?> Dataset() => new("--dataset", "-d") { Description = "Dataset name (data.dataset)." };

    /// <summary>The option set of a command that resolves a configuration, and how to read it back.</summary>
    public sealed class ConfigOptions
    {
        public Option<string[]> Files { get; } = ConfigFiles();
        public Option<string[]> Sets { get; } = CommonOptions.Sets();
        public Option<string?> Model { get; } = CommonOptions.Model();
        public Option<string?> Dataset { get; } = CommonOptions.Dataset();

        public void AddTo(Command command)
        {
            command.Options.Add(Files);
            command.Options.Add(Sets);
            command.Options.Add(Model);
            command.Options.Add(Dataset);
        }

        public ConfigRequest Request(ParseResult parse) => new()
        {
            Model = parse.GetValue(Model),
            Dataset = parse.GetValue(Dataset),
            Files = parse.GetValue(Files) ?? [],
            Sets = parse.GetValue(Sets) ?? [],
        };

        /// <summary>Resolves the configuration; warnings go to the error stream.</summary>
        public ResolvedConfig Resolve(ParseResult parse)
        {
            var config = ConfigResolver.Resolve(Request(parse), SeqRecModels.All);
            foreach (var warning in config.Warnings) parse.InvocationConfiguration.Error.WriteLine(warning);
            return config;
        }
    }
}
