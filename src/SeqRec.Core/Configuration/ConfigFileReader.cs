namespace SeqRec.Configuration;

/// <summary>Reads a <c>--config</c> file: RecBole YAML by its extension (<c>.yaml</c>, <c>.yml</c>), TOML otherwise.</summary>
public static class ConfigFileReader
{
    /// <summary>A missing or malformed file is reported in <paramref name="errors"/>, and the result is null.</summary>
    public static ConfigTable? ReadFile(string path, ConfigErrors errors)
    {
        if (!File.Exists(path))
        {
            errors.General(new ConfigSource(path), "config file not found");
            return null;
        }
        var text = File.ReadAllText(path);
        return IsYaml(path) ? YamlConfigReader.Read(text, path, errors) : TomlConfigReader.Read(text, path, errors);
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
