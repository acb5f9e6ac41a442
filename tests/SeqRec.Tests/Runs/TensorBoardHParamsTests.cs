using Google.Protobuf;
using SeqRec.Runs;
using Tensorboard;
using Xunit;
using static TorchSharp.torch.utils.tensorboard;

namespace SeqRec.Tests.Runs;

public class TensorBoardHParamsTests
{
    private const string ConfigToml = """
        model = "sasrec"

        [data]
        dataset = "ml-100k"
        max_item_list_length = 50

        [trainer]
        learning_rate = 0.001
        seed = 2020
        threads = 1

        [eval]
        metrics = ["Recall", "NDCG"]
        topk = [10, 20]
        valid_metric = "MRR@10"

        [sasrec]
        hidden_size = 64
        hidden_act = "gelu"
        """;

    [Fact]
    public void Crc32c_matches_the_castagnoli_check_value() =>
        Assert.Equal(0xE3069283u, TensorBoardEventFile.Crc32C("123456789"u8));

    [Fact]
    public void Hparams_are_the_settings_that_change_results_and_the_metrics_are_valid_and_test()
    {
        var (hparams, metrics) = TensorBoardObserver.HParamsOf(ConfigToml);

        Assert.Equal(["model", "data.dataset", "data.max_item_list_length", "trainer.learning_rate", "trainer.seed", "sasrec.hidden_size", "sasrec.hidden_act"],
            hparams.Select(h => h.Key));
        Assert.Equal(["valid/mrr@10", "test/recall@10", "test/recall@20", "test/ndcg@10", "test/ndcg@20"], metrics);
    }

    [Fact]
    public void The_session_is_written_as_the_hparams_plugin_reads_it_and_framed_as_torchsharps_own_events()
    {
        using var folder = new TempFolder();
        var writer = SummaryWriter(folder.Path);
        writer.add_scalar("test/ndcg@10", 0.5f, 3);
        var session = TensorBoardHParams.Start(folder.Path, [KeyValuePair.Create("sasrec.hidden_size", (object)64L), KeyValuePair.Create("model", (object)"sasrec")], ["test/ndcg@10"]);
        session.End();

        var files = Directory.GetFiles(folder.Path, "events.out.tfevents.*");
        Assert.Equal(2, files.Length);
        // The reader checks both CRCs of every record; TorchSharp's own file passing it checks the framing.
        var torchSharps = ReadEvents(Assert.Single(files, f => !f.EndsWith(".hparams", StringComparison.Ordinal)));
        Assert.Contains(torchSharps, e => e.Summary?.Value.Any(v => v.Tag == "test/ndcg@10") == true);

        var ours = ReadEvents(Assert.Single(files, f => f.EndsWith(".hparams", StringComparison.Ordinal)));
        Assert.Equal("brain.Event:2", ours[0].FileVersion);
        var values = ours.Skip(1).Select(e => Assert.Single(e.Summary.Value)).ToList();
        Assert.Equal(["_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info"], values.Select(v => v.Tag));
        Assert.All(values, v => Assert.Equal("hparams", v.Metadata.PluginData.PluginName));

        // HParamsPluginData: experiment (2) → hparam_infos (4) with names, metric_infos (5) with tags.
        var experiment = Fields(Fields(values[0].Metadata.PluginData.Content)[2].Single());
        Assert.Equal(["sasrec.hidden_size", "model"], experiment[4].Select(info => Fields(info)[1].Single().ToStringUtf8()));
        Assert.Equal("test/ndcg@10", Fields(Fields(experiment[5].Single())[1].Single())[2].Single().ToStringUtf8());
        // session_start_info (3) → hparams map entries: key (1), google.protobuf.Value (2) with number_value (2) or string_value (3).
        var entries = Fields(Fields(values[1].Metadata.PluginData.Content)[3].Single())[1].Select(Fields).ToList();
        Assert.Equal(64.0, BitConverter.ToDouble(Fields(entries[0][2].Single())[2].Single().Span));
        Assert.Equal("sasrec", Fields(entries[1][2].Single())[3].Single().ToStringUtf8());
        // session_end_info (4) → status (1) = STATUS_SUCCESS.
        Assert.Equal(1, Fields(Fields(values[2].Metadata.PluginData.Content)[4].Single())[1].Single().Span[0]);
    }

    /// <summary>Reads a TFRecord file, checking the masked CRC-32C of every length and payload.</summary>
    private static List<Event> ReadEvents(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        for (var offset = 0; offset < bytes.Length;)
        {
            var length = (int)BitConverter.ToUInt64(bytes, offset);
            Assert.Equal(TensorBoardEventFile.MaskedCrc(bytes.AsSpan(offset, 8)), BitConverter.ToUInt32(bytes, offset + 8));
            var payload = bytes.AsSpan(offset + 12, length);
            Assert.Equal(TensorBoardEventFile.MaskedCrc(payload), BitConverter.ToUInt32(bytes, offset + 12 + length));
            events.Add(Event.Parser.ParseFrom(payload.ToArray()));
            offset += 12 + length + 4;
        }
        return events;
    }

    /// <summary>A protobuf message's fields by number: length-delimited ones as their bytes, fixed64 as 8 bytes, varints as one byte.</summary>
    private static Dictionary<int, List<ByteString>> Fields(ByteString message)
    {
        var fields = new Dictionary<int, List<ByteString>>();
        var input = new CodedInputStream(message.ToByteArray());
        while (!input.IsAtEnd)
        {
            var tag = input.ReadTag();
            var number = WireFormat.GetTagFieldNumber(tag);
            ByteString value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.LengthDelimited => input.ReadBytes(),
                WireFormat.WireType.Fixed64 => ByteString.CopyFrom(BitConverter.GetBytes(input.ReadFixed64())),
                WireFormat.WireType.Varint => ByteString.CopyFrom((byte)input.ReadUInt64()),
                var other => throw new InvalidDataException($"unexpected wire type {other}"),
            };
            if (!fields.TryGetValue(number, out var list)) fields[number] = list = [];
            list.Add(value);
        }
        return fields;
    }
}
