namespace SeqRec.Configuration;

/// <summary>
/// RecBole configs are flat (<c>learning_rate: 0.001</c>). A top-level key that is not a section is moved into every
/// section that has a parameter of that name or alias, so <c>n_layers = 3</c> reaches whichever model runs.
/// </summary>
internal static class FlatKeys
{
    public static void MoveIntoSections(ConfigTable layer, IEnumerable<ConfigSectionInfo> sections, ConfigErrors errors)
    {
        var sectionList = sections.ToList();
        foreach (var key in layer.Keys.ToList())
        {
            var node = layer[key]!;
            if (key == ConfigResolver.ModelKey || node is ConfigTable || sectionList.Any(s => s.Name == key)) continue;

            var owners = sectionList.Where(s => s.Parameters.Any(p => p.Key == key || p.Alias == key)).ToList();
            if (owners.Count == 0) continue; // reported as an unknown section or key later, with a suggestion
            layer.Remove(key);
            foreach (var owner in owners) layer.GetOrAddTable(owner.Name, node.Source).Set(key, node);
        }
    }
}
