using System.CommandLine;
using System.Globalization;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Data.Atomic;
using SeqRec.Evaluation;
using Spectre.Console;
using TorchSharp;

namespace SeqRec.Cli.Commands;

/// <summary><c>seqrec recommend</c>: the top-k items for a known user's latest history or for a new sequence.</summary>
internal static class RecommendCommand
{
    public static Command Create(ModelHost host)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A saved model (best.ckpt or an imported model).", Required = true };
        var user = new Option<string?>("--user") { Description = "A user id as written in the dataset: recommend after their latest history." };
        var sequence = new Option<string?>("--sequence") { Description = "Comma-separated item ids as written in the dataset, oldest first." };
        var topk = new Option<int>("--topk") { Description = "How many items.", DefaultValueFactory = _ => 10 };
        var excludeHistory = new Option<bool>("--exclude-history") { Description = "Never recommend an item of the history itself." };
        var command = new Command("recommend", "Print the top-k item ids with scores for a user or a new item sequence.");
        var json = CommonOptions.Json();
        foreach (var option in new Option[] { checkpoint, user, sequence, topk, excludeHistory, json }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var userId = parse.GetValue(user);
            var sequenceText = parse.GetValue(sequence);
            if ((userId is null) == (sequenceText is null)) throw new SeqRecException("recommend: give exactly one of --user or --sequence");
            var k = parse.GetValue(topk);
            if (k < 1) throw new SeqRecException($"--topk: {k} is below the minimum 1");

            using var saved = SavedModel.Load(parse.GetValue(checkpoint)!, host.Registry);
            var dataset = saved.Dataset;
            var exclude = parse.GetValue(excludeHistory);
            int historyLength;
            Recommendation[] top;
            if (userId is not null)
            {
                top = saved.TopKForUser(userId, k, exclude);
                historyLength = dataset.LatestHistory(saved.UserId(userId)).Length;
            }
            else
            {
                var items = SequenceItems(sequenceText!);
                top = saved.TopKForSequence(items, k, exclude);
                historyLength = Math.Min(items.Count, dataset.MaxSeqLength);
            }

            var labels = LoadLabels(saved.Config.Data, parse);
            if (parse.GetValue(json))
            {
                CommonOptions.WriteJson(parse, new
                {
                    Model = saved.Config.Model.Id,
                    Dataset = dataset.Name,
                    User = userId,
                    HistoryLength = historyLength,
                    Items = top.Select((r, i) => new { Rank = i + 1, Item = r.Item, Label = labels?.For(r.Item), r.Score }).ToList(),
                });
                return CliApp.Ok;
            }
            var console = ConsoleFor.Output(parse);
            var table = new Table().AddColumn("rank").AddColumn("item");
            if (labels is not null) table.AddColumn(labels.Column);
            table.AddColumn(new TableColumn("score").RightAligned());
            for (var r = 0; r < top.Length; r++)
            {
                var token = top[r].Item;
                string[] cells = labels is null
                    ? [(r + 1).ToString(CultureInfo.InvariantCulture), token, top[r].Score.ToString("F4", CultureInfo.InvariantCulture)]
                    : [(r + 1).ToString(CultureInfo.InvariantCulture), token, labels.For(token) ?? "", top[r].Score.ToString("F4", CultureInfo.InvariantCulture)];
                table.AddRow([.. cells.Select(Markup.Escape)]);
            }
            console.WriteLine($"{saved.Config.Model.DisplayName} on {dataset.Name}: top {top.Length} after {historyLength} items");
            console.Write(table);
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>Item labels from the dataset's .item file if it has one; a broken .item file only costs the labels.</summary>
    private static ItemLabels? LoadLabels(DataConfig data, ParseResult parse)
    {
        var itemFile = DatasetLocation.AtomicFile(data, "item");
        try
        {
            return ItemLabels.TryLoad(itemFile, data.ItemIdField, new AtomicReadOptions { FieldSeparator = data.FieldSeparatorChar, SeqSeparator = data.SeqSeparatorChar });
        }
        catch (SeqRecException e)
        {
            parse.InvocationConfiguration.Error.WriteLine($"warning: item labels not shown: {e.Message}");
            return null;
        }
    }

    private static IReadOnlyList<string> SequenceItems(string text)
    {
        var tokens = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return tokens.Length > 0 ? tokens : throw new SeqRecException("--sequence: expected comma-separated item ids, e.g. 12,7,99");
    }
}
