using System.Globalization;
using Google.Protobuf;
using Tensorboard;

namespace SeqRec.Runs;

/// <summary>
/// A run as one session of TensorBoard's HPARAMS tab: its hyper-parameters and the metrics to show beside them, as
/// the hparams plugin reads them (summaries tagged <c>_hparams_/experiment</c>, <c>_hparams_/session_start_info</c> and
/// <c>_hparams_/session_end_info</c> whose plugin data is an <c>HParamsPluginData</c> message). The metrics' values
/// are the run's own scalars (<c>valid/…</c>, <c>test/…</c>) in the same folder.
/// </summary>
public sealed class TensorBoardHParams
{
    private const string PluginName = "hparams";
    private readonly TensorBoardEventFile _file;

    private TensorBoardHParams(TensorBoardEventFile file) => _file = file;

    /// <summary>Starts the session: writes the experiment (which hyper-parameters and metrics) and the values.</summary>
    /// <param name="hparams">Name → value (a number, bool or string).</param>
    /// <param name="metricTags">Scalar tags shown as metric columns, e.g. <c>test/ndcg@10</c>.</param>
    public static TensorBoardHParams Start(string logDirectory, IReadOnlyList<KeyValuePair<string, object>> hparams, IReadOnlyList<string> metricTags)
    {
        var file = new TensorBoardEventFile(logDirectory, "hparams");
        var experiment = Message(o =>
        {
            foreach (var (name, value) in hparams)
                o.WriteMessageField(4, p => { p.WriteStringField(1, name); p.WriteEnumField(4, DataType(value)); });
            foreach (var tag in metricTags)
                o.WriteMessageField(5, m => m.WriteMessageField(1, n => n.WriteStringField(2, tag)));
        });
        var start = Message(o =>
        {
            foreach (var (name, value) in hparams)
                o.WriteMessageField(1, entry => { entry.WriteStringField(1, name); entry.WriteMessageField(2, v => WriteValue(v, value)); });
            o.WriteDoubleField(5, TensorBoardEventFile.Now());
        });
        file.Append(Summary("_hparams_/experiment", Message(o => o.WriteMessageField(2, experiment))));
        file.Append(Summary("_hparams_/session_start_info", Message(o => o.WriteMessageField(3, start))));
        return new TensorBoardHParams(file);
    }

    /// <summary>For a resumed run, whose session started in an earlier file: a new file that will record its end.</summary>
    public static TensorBoardHParams Continue(string logDirectory) => new(new TensorBoardEventFile(logDirectory, "hparams"));

    /// <summary>Ends the session with success.</summary>
    public void End()
    {
        var end = Message(o => { o.WriteEnumField(1, 1); o.WriteDoubleField(2, TensorBoardEventFile.Now()); });
        _file.Append(Summary("_hparams_/session_end_info", Message(o => o.WriteMessageField(4, end))));
    }

    private static Event Summary(string tag, byte[] content)
    {
        var summary = new Summary();
        summary.Value.Add(new Summary.Types.Value
        {
            Tag = tag,
            Metadata = new SummaryMetadata { PluginData = new SummaryMetadata.Types.PluginData { PluginName = PluginName, Content = ByteString.CopyFrom(content) } },
        });
        return new Event { WallTime = TensorBoardEventFile.Now(), Summary = summary };
    }

    /// <summary>The hparams API's DataType: 1 string, 2 bool, 3 float64.</summary>
    private static int DataType(object value) => value switch
    {
        bool => 2,
        string => 1,
        _ => 3,
    };

    /// <summary>A google.protobuf.Value: number_value (2), string_value (3) or bool_value (4).</summary>
    private static void WriteValue(CodedOutputStream output, object value)
    {
        switch (value)
        {
            case bool flag:
                output.WriteTag(4, WireFormat.WireType.Varint);
                output.WriteBool(flag);
                break;
            case string text:
                output.WriteStringField(3, text);
                break;
            default:
                output.WriteDoubleField(2, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true)) write(output);
        return buffer.ToArray();
    }
}

/// <summary>Protobuf field writers for the few hparams messages, which TorchSharp's generated types do not include.</summary>
internal static class CodedOutputFields
{
    public static void WriteStringField(this CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    public static void WriteDoubleField(this CodedOutputStream output, int field, double value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed64);
        output.WriteDouble(value);
    }

    public static void WriteEnumField(this CodedOutputStream output, int field, int value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteEnum(value);
    }

    public static void WriteMessageField(this CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
    }

    public static void WriteMessageField(this CodedOutputStream output, int field, Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var nested = new CodedOutputStream(buffer, leaveOpen: true)) write(nested);
        output.WriteMessageField(field, buffer.ToArray());
    }
}
