using SeqRec.Configuration;

namespace SeqRec.Tuning.Space;

/// <summary>
/// Finds the parameter a params-file name refers to: <c>section.key</c>, or a bare key (or alias) that exactly one
/// section has, the resolver's flat-key rule.
/// </summary>
internal sealed class ParamTargets(IReadOnlyList<ConfigSectionInfo> sections)
{
    public (ConfigSectionInfo Section, ParamInfo Param)? Find(string name, out string? problem)
    {
        problem = null;
        var dot = name.IndexOf('.');
        if (dot >= 0)
        {
            var sectionName = name[..dot];
            var key = name[(dot + 1)..];
            var section = sections.FirstOrDefault(s => s.Name == sectionName);
            if (section is null)
            {
                problem = ConfigReader.UnknownMessage($"section '{sectionName}'", sectionName, sections.Select(s => s.Name));
                return null;
            }
            var param = section.Parameters.FirstOrDefault(p => p.Key == key || p.Alias == key);
            if (param is null) problem = ConfigReader.UnknownMessage($"key '{key}' in [{section.Name}]", key, section.Parameters.Select(p => p.Key));
            return param is null ? null : (section, param);
        }

        var owners = Owners(name);
        if (owners.Count == 0 && RecBoleKeys.ParameterKey(name) is var lower && lower != name) owners = Owners(lower);
        if (owners.Count == 1) return owners[0];
        if (owners.Count > 1)
        {
            problem = $"'{name}' is a parameter of several sections; write one of {string.Join(", ", owners.Select(o => $"{o.Item1.Name}.{o.Item2.Key}"))}";
            return null;
        }
        var paths = sections.SelectMany(s => s.Parameters.Select(p => (p.Key, Path: $"{s.Name}.{p.Key}"))).ToList();
        var nearest = Suggestions.Nearest(name, paths.Select(p => p.Key));
        problem = nearest is null
            ? $"unknown parameter '{name}'"
            : $"unknown parameter '{name}'; did you mean '{nearest}' ({paths.First(p => p.Key == nearest).Path})?";
        return null;
    }

    private List<(ConfigSectionInfo, ParamInfo)> Owners(string key) =>
        sections.SelectMany(s => s.Parameters.Where(p => p.Key == key || p.Alias == key).Select(p => (s, p))).ToList();
}
