using System.CommandLine;
using SeqRec.Modeling;
using SeqRec.Models;

namespace SeqRec.Cli;

/// <summary>
/// The models of one <c>seqrec</c> invocation: SeqRec's own plus the plugins named by <c>SEQREC_PLUGINS</c> and
/// <c>--plugin</c>. <see cref="CliApp"/> loads them once after parsing, before any command runs, and hands this object
/// to every command; commands that start child processes (benchmark points, layer cases) pass <see cref="PluginPaths"/> on.
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

    /// <summary>The loaded plugins' full paths.</summary>
    public IReadOnlyList<string> PluginPaths { get; private set; } = [];

    /// <summary><c>--plugin</c> arguments for a child <c>seqrec</c> that must see the same models.</summary>
    public IEnumerable<string> PluginArguments => PluginPaths.SelectMany(p => new[] { "--plugin", p });

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
        PluginPaths = paths;
    }

    /// <summary>A host with a given registry (tests).</summary>
    public static ModelHost With(ModelRegistry registry) => new() { _registry = registry };
}
