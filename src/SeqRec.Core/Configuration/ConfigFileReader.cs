namespace SeqRec.Configuration;

/// <summary>Reads a <c>--config</c> file: RecBole YAML by its extension (<c>.yaml</c>, <c>.yml</c>), TOML otherwise.</summary>
public static class ConfigFileReader
{
    /// <summary>Far above any real config (RecBole's largest are a few KB); a larger file is refused before it is read.</summary>
    public const long MaxBytes = 1 << 20;

    /// <summary>A missing or malformed file is reported in <paramref name="errors"/>, and the result is null.</summary>
    public static ConfigTable? ReadFile(string path, ConfigErrors errors)
    {
        if (!File.Exists(path))
        {
            errors.General(new ConfigSource(path), "config file not found");
            return null;
        }
        string text;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxBytes)
            {
                errors.General(new ConfigSource(path), $"config file of {length:N0} bytes; a config file may hold at most {MaxBytes:N0}");
                return null;
            }
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.General(new ConfigSource(path), $"config file cannot be read: {e.Message}");
            return null;
        }
        return IsYaml(path) ? YamlConfigReader.Read(text, path, errors) : TomlConfigReader.Read(text, path, errors);
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
