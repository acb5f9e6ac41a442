using System.Globalization;
using System.Text;

namespace SeqRec.Benchmarks;

/// <summary>
/// Writes a small random interaction file in RecBole's atomic format, for smoke runs that must not need real data
/// (<c>seqrec bench compare --quick</c>). Items follow a skewed popularity so that models have something to learn.
/// </summary>
public static class SyntheticDataset
{
    public static string Write(string dataFolder, string name, int users, int items, int interactionsPerUser, int seed)
    {
        var folder = Path.Combine(dataFolder, name);
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var text = new StringBuilder("user_id:token\titem_id:token\trating:float\ttimestamp:float\n");
        for (var u = 1; u <= users; u++)
        {
            var item = random.Next(1, items + 1);
            for (var t = 0; t < interactionsPerUser; t++)
            {
                // Mostly step to a nearby item, sometimes jump: sequences with structure.
                item = random.NextDouble() < 0.7 ? 1 + (item + random.Next(1, 4)) % items : random.Next(1, items + 1);
                text.Append(CultureInfo.InvariantCulture, $"{u}\t{item}\t{1 + random.Next(5)}\t{1_000_000 + u * 1000 + t}\n");
            }
        }
        var path = Path.Combine(folder, name + ".inter");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
