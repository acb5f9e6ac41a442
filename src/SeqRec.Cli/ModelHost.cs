using System.CommandLine;
using SeqRec.Modeling;
using SeqRec.Models;

namespace SeqRec.Cli;

/// <summary>
/// The models of one <c>seqrec</c> invocation: SeqRec's own plus the plugins named by <c>SEQREC_PLUGINS</c> and
/// <c>--plugin</c>. <see cref="CliApp"/> loads them once after parsing, before any command runs, and hands this object
/// to every command; child processes (benchmark points, layer cases) inherit the plugin list through the variable.
/// </summary>
internal sealed class ModelHost
{
    public const string PluginsVariable = "SEQREC_PLUGINS";

    public static readonly Option<string[]> PluginOption = new("--plugin")
    {
        Description = $"A model assembly (.dll) to load; repeatable. {PluginsVariable} may also list them, separated by '{Path.PathSeparator}'.",
        Recursive = true,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private ModelRegistry? _registry;

    /// <summary>The registry of this invocation.</summary>
    public ModelRegistry Registry => _registry ?? throw new InvalidOperationException("the models are loaded before a command runs");

    /// <summary>Loads the plugins; a plugin that cannot be loaded or a duplicate model id is a <see cref="SeqRecException"/>.</summary>
    public void Load(ParseResult parse)
    {
        var paths = PluginLoader.ParseList(Environment.GetEnvironmentVariable(PluginsVariable))
            .Concat(parse.GetValue(PluginOption) ?? [])
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        _registry = SeqRecModels.Registry(paths);
        if (paths.Count > 0) Environment.SetEnvironmentVariable(PluginsVariable, string.Join(Path.PathSeparator, paths));
    }

    /// <summary>A host with a given registry (tests).</summary>
    public static ModelHost With(ModelRegistry registry) => new() { _registry = registry };
}
