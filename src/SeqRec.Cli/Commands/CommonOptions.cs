using System.CommandLine;
using System.Text.RegularExpressions;
using SeqRec.Configuration;

namespace SeqRec.Cli.Commands;

/// <summary>Options shared by the commands that resolve a configuration.</summary>
internal static partial class CommonOptions
{
    /// <summary>Machine-readable output: one JSON document on standard output instead of tables.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON document instead of tables (snake_case keys)." };


    /// <summary>Writes <paramref name="value"/> as indented JSON to the command's output.</summary>
    public static void WriteJson(System.CommandLine.ParseResult parse, object value) =>
        parse.InvocationConfiguration.Output.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, SeqRecJson.Output));

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print what seqrec sets up (allocator, threads, files) before it runs.",
        Recursive = true,
    };

    public static Option<string[]> ConfigFiles() => new("--config", "-c", "--config_files")
    {
        Description = "A config file, TOML or RecBole YAML (.yaml/.yml); repeat to layer several (later files win). As RecBole's --config_files, one value may also list several files separated by spaces.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string[]> Sets() => new("--set", "-s")
    {
        Description = "Override one value: section.key=value (e.g. lightsans.k_interests=10); repeatable, wins over files.",
    };

    public static Option<string?> Model() => new("--model", "-m") { Description = "Model id (see 'seqrec models')." };

    public static Option<string?> Dataset() => new("--dataset", "-d") { Description = "Dataset name (data.dataset)." };

    /// <summary>The folder holding the datasets, spelt the same in every command.</summary>
    public static Option<string?> DataPath(params string[] aliases) =>
        new("--data-path", aliases) { Description = $"Folder holding one sub-folder per dataset (data.data_path; default: ${SeqRec.Data.DatasetLocation.DataPathVariable}, else dataset/)." };

    /// <summary>The option set of a command that resolves a configuration, and how to read it back.</summary>
    public sealed class ConfigOptions(ModelHost host)
    {
        public Option<string[]> Files { get; } = ConfigFiles();
        public Option<string[]> Sets { get; } = CommonOptions.Sets();
        public Option<string?> Model { get; } = CommonOptions.Model();
        public Option<string?> Dataset { get; } = CommonOptions.Dataset();
        public Option<string?> DataPath { get; } = CommonOptions.DataPath();

        public void AddTo(Command command)
        {
            command.Options.Add(Files);
            command.Options.Add(Sets);
            command.Options.Add(Model);
            command.Options.Add(Dataset);
            command.Options.Add(DataPath);
            // RecBole's command line gives settings as --key=value (run_recbole.py --learning_rate=0.01): those tokens
            // are left unmatched by the parser and become overrides (RecBoleStyleSets); CliApp refuses any other.
            command.TreatUnmatchedTokensAsErrors = false;
        }

        public ConfigRequest Request(ParseResult parse) => new()
        {
            Model = parse.GetValue(Model),
            Dataset = parse.GetValue(Dataset),
            DataPath = parse.GetValue(DataPath),
            Files = [.. (parse.GetValue(Files) ?? []).SelectMany(FileList)],
            Sets = [.. parse.GetValue(Sets) ?? [], .. RecBoleStyleSets(parse.UnmatchedTokens)],
        };

        /// <summary>Whether any configuration was given (files, overrides, model or dataset).</summary>
        public bool AnyGiven(ParseResult parse)
        {
            var request = Request(parse);
            return request.Model is not null || request.Dataset is not null || request.DataPath is not null || request.Files.Count > 0 || request.Sets.Count > 0;
        }

        /// <summary>Resolves the configuration; warnings go to the error stream.</summary>
        public ResolvedConfig Resolve(ParseResult parse)
        {
            var config = ConfigResolver.Resolve(Request(parse), host.Registry);
            foreach (var warning in config.Warnings) parse.InvocationConfiguration.Error.WriteLine(warning);
            return config;
        }
    }

    /// <summary>An unmatched <c>--key=value</c> token as a <c>key=value</c> override; null for any other token.</summary>
    public static string? RecBoleStyleSet(string token)
    {
        var match = RecBoleSetting().Match(token);
        return match.Success ? $"{match.Groups[1].Value}={match.Groups[2].Value}" : null;
    }

    /// <summary>The overrides among unmatched tokens (<see cref="CliApp"/> has refused every other kind).</summary>
    private static IEnumerable<string> RecBoleStyleSets(IEnumerable<string> tokens) => tokens.Select(RecBoleStyleSet).OfType<string>();

    /// <summary>RecBole's <c>--config_files "a.yaml b.yaml"</c>: a value that is not a file but whose parts are several.</summary>
    private static IEnumerable<string> FileList(string value) =>
        File.Exists(value) || !value.Contains(' ', StringComparison.Ordinal) ? [value] : value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^--([A-Za-z_][A-Za-z0-9_.]*)=(.*)$", RegexOptions.Singleline)]
    private static partial Regex RecBoleSetting();
}
