using System.Reflection;
using SeqRec.Configuration;

namespace SeqRec.Modeling;

/// <summary>
/// The models a host knows: the catalogs of several assemblies (SeqRec's own models, plugins, a user's project)
/// combined, with ids unique across all of them (case-insensitive). Built once where the application starts (the CLI,
/// <c>SeqRecRun</c>, a test) and passed to whatever needs models; nothing reads a static model list.
/// </summary>
public sealed class ModelRegistry
{
    private readonly Dictionary<string, ModelInfo> _byId;

    private ModelRegistry(IReadOnlyList<ModelInfo> models, Dictionary<string, ModelInfo> byId)
    {
        All = models;
        _byId = byId;
    }

    public static ModelRegistry Empty { get; } = new([], new Dictionary<string, ModelInfo>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Every model, sorted by id.</summary>
    public IReadOnlyList<ModelInfo> All { get; }

    /// <summary>Combines catalogs; a model id registered twice is an error naming both models and their assemblies.</summary>
    public static ModelRegistry Combine(params IEnumerable<ModelInfo>[] catalogs) => Empty.With(catalogs.SelectMany(c => c));

    /// <summary>The catalogs of the given assemblies (see <see cref="CatalogOf"/>), combined.</summary>
    public static ModelRegistry FromAssemblies(params IEnumerable<Assembly> assemblies) =>
        Combine([.. assemblies.Select(CatalogOf)]);

    /// <summary>This registry plus <paramref name="models"/>; duplicates are rejected as in <see cref="Combine"/>.</summary>
    public ModelRegistry With(IEnumerable<ModelInfo> models)
    {
        var byId = new Dictionary<string, ModelInfo>(_byId, StringComparer.OrdinalIgnoreCase);
        foreach (var model in models)
        {
            if (byId.TryGetValue(model.Id, out var existing))
            {
                if (existing.ModelType == model.ModelType) continue;
                throw new SeqRecException(
                    $"model id '{model.Id}' is registered twice: by {existing.ModelType.FullName} in {existing.AssemblyLabel} " +
                    $"({existing.Assembly.Location}) and by {model.ModelType.FullName} in {model.AssemblyLabel} ({model.Assembly.Location}); " +
                    "give one of them another id");
            }
            byId[model.Id] = model;
        }
        return new ModelRegistry([.. byId.Values.OrderBy(m => m.Id, StringComparer.Ordinal)], byId);
    }

    /// <summary>The model registered under <paramref name="id"/> (case-insensitive), or null.</summary>
    public ModelInfo? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The model registered under <paramref name="id"/>, or an error listing the known ids.</summary>
    public ModelInfo Get(string id)
    {
        if (Find(id) is { } model) return model;
        var ids = All.Select(m => m.Id).ToList();
        var suggestion = Suggestions.Nearest(id, ids);
        var hint = suggestion is null ? "" : $"; did you mean '{suggestion}'?";
        throw new SeqRecException($"unknown model '{id}'{hint} (known: {string.Join(", ", ids)}; a model from another assembly needs --plugin)");
    }

    /// <summary>
    /// The models an assembly registers: the <c>All</c> list of the catalog type its generated
    /// <see cref="AssemblyModelCatalogAttribute"/> names. An assembly without models has an empty catalog.
    /// </summary>
    public static IReadOnlyList<ModelInfo> CatalogOf(Assembly assembly)
    {
        var attribute = assembly.GetCustomAttribute<AssemblyModelCatalogAttribute>();
        if (attribute is null) return [];
        var property = attribute.CatalogType.GetProperty("All", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        if (property?.GetValue(null) is not IReadOnlyList<ModelInfo> models)
            throw new SeqRecException($"{assembly.GetName().Name}: its model catalog {attribute.CatalogType.FullName} has no static All list of ModelInfo; rebuild it with this version of SeqRec");
        return models;
    }
}
