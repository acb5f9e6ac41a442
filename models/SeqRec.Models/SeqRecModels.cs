using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>SeqRec's own models; the generator fills <c>All</c> from every <c>[Model]</c> class of this assembly.</summary>
[ModelCatalog]
public static partial class SeqRecModels
{
    /// <summary>
    /// A registry of SeqRec's own models plus the models of the given plugin assemblies (paths to .dll files), for an
    /// application's composition root. Duplicate ids are an error naming both assemblies.
    /// </summary>
    public static ModelRegistry Registry(IEnumerable<string>? pluginPaths = null) =>
        ModelRegistry.Combine([All, .. PluginLoader.Load(pluginPaths ?? []).Select(ModelRegistry.CatalogOf)]);
}
