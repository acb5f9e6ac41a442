using SeqRec.Configuration;
using SeqRec.Data;

namespace SeqRec.Tests.Data;

/// <summary>A temporary data folder for one test; deleted on dispose.</summary>
public sealed class TempDataFolder : IDisposable
{
    public TempDataFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "seqrec-data-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Writes &lt;root&gt;/&lt;name&gt;/&lt;name&gt;.&lt;suffix&gt; and returns its path.</summary>
    public string Write(string name, string suffix, string content)
    {
        var folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}.{suffix}");
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes an .inter file from "user item time" rows and returns a config pointing at it.</summary>
    public DataConfig Inter(string rows, string name = "tiny", int maxItemListLength = 50)
    {
        var lines = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => string.Join('\t', r.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Write(name, "inter", "user_id:token\titem_id:token\ttimestamp:float\n" + string.Join('\n', lines) + "\n");
        return Config(name, maxItemListLength);
    }

    public DataConfig Config(string name, int maxItemListLength = 50) =>
        new() { DataPath = Root, Dataset = name, MaxItemListLength = maxItemListLength };

    /// <summary>Loads from this folder whatever SEQREC_DATA_PATH says.</summary>
    public SequentialDataset Load(DataConfig config) => SequentialDatasetLoader.Load(config, Root);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
