using System.Reflection;
using System.Runtime.Loader;

namespace SeqRec.Modeling;

/// <summary>
/// Loads model assemblies given by path (<c>seqrec --plugin</c>, <c>SEQREC_PLUGINS</c>). Each plugin gets its own load
/// context that resolves the plugin's private dependencies from its folder (its <c>.deps.json</c>), while SeqRec and
/// TorchSharp come from the host, so a plugin's models are the host's <see cref="SequentialRecommender"/>s.
/// </summary>
public static class PluginLoader
{
    /// <summary>Loads every plugin; each problem is a <see cref="SeqRecException"/> naming the file.</summary>
    public static IReadOnlyList<Assembly> Load(IEnumerable<string> paths)
    {
        var loaded = new List<Assembly>();
        foreach (var path in paths.Where(p => !string.IsNullOrWhiteSpace(p)).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
            loaded.Add(LoadOne(path));
        return loaded;
    }

    /// <summary>Plugin paths from a <c>SEQREC_PLUGINS</c>-style list (separated by the platform's path separator).</summary>
    public static IReadOnlyList<string> ParseList(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Assembly LoadOne(string path)
    {
        if (Directory.Exists(path)) throw new SeqRecException($"plugin {path}: is a folder; give the model assembly's .dll file");
        if (!File.Exists(path)) throw new SeqRecException($"plugin {path}: file not found (build the plugin project, then pass its bin/<configuration>/<framework>/<name>.dll)");
        AssemblyName name;
        try
        {
            name = AssemblyName.GetAssemblyName(path);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or IOException or UnauthorizedAccessException)
        {
            throw new SeqRecException($"plugin {path}: not a .NET assembly ({e.Message})", e);
        }

        var already = AssemblyLoadContext.All.SelectMany(c => c.Assemblies).FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), name) && a.GetName().Name == name.Name);
        if (already is not null)
        {
            if (!string.Equals(already.Location, path, StringComparison.Ordinal) && !string.IsNullOrEmpty(already.Location))
                throw new SeqRecException($"plugin {path}: an assembly named {name.Name} is already loaded from {already.Location}");
            return already;
        }

        try
        {
            var assembly = new PluginLoadContext(path).LoadFromAssemblyPath(path);
            // Touch the catalog now, so a plugin built against another SeqRec fails here with its name, not later.
            _ = ModelRegistry.CatalogOf(assembly);
            return assembly;
        }
        catch (Exception e) when (e is FileLoadException or FileNotFoundException or BadImageFormatException or TypeLoadException or MissingMethodException or ReflectionTypeLoadException or TargetInvocationException)
        {
            var detail = e is TargetInvocationException { InnerException: { } inner } ? inner.Message : e.Message;
            throw new SeqRecException($"plugin {path}: could not be loaded ({detail}); is it built against this version of SeqRec ({typeof(PluginLoader).Assembly.GetName().Version})?", e);
        }
    }

    /// <summary>Resolves a plugin's own dependencies next to it; everything the host has comes from the host.</summary>
    private sealed class PluginLoadContext(string pluginPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(pluginPath))
    {
        private readonly AssemblyDependencyResolver _resolver = new(pluginPath);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (IsShared(assemblyName)) return null;
            var path = _resolver.ResolveAssemblyToPath(assemblyName);
            return path is null ? null : LoadFromAssemblyPath(path);
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
            return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
        }

        /// <summary>Whatever the host already has or ships (SeqRec, TorchSharp, the framework) is shared.</summary>
        private static bool IsShared(AssemblyName name) =>
            Default.Assemblies.Any(a => string.Equals(a.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase))
            || File.Exists(Path.Combine(AppContext.BaseDirectory, name.Name + ".dll"));
    }
}
