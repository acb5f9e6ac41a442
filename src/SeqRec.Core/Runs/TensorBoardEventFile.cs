using Google.Protobuf;
using Tensorboard;

namespace SeqRec.Runs;

/// <summary>
/// Appends events to a TensorBoard event file of its own: TFRecord framing (length, masked CRC-32C of the length,
/// payload, masked CRC-32C of the payload). TorchSharp's SummaryWriter cannot write summaries that carry plugin data,
/// which the HPARAMS tab needs; this writes them beside its files, in the same folder.
/// </summary>
internal sealed class TensorBoardEventFile
{
    private readonly string _path;

    public TensorBoardEventFile(string directory, string suffix)
    {
        Directory.CreateDirectory(directory);
        _path = System.IO.Path.Combine(directory, $"events.out.tfevents.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}.{suffix}");
        Append(new Event { FileVersion = "brain.Event:2", WallTime = Now() });
    }

    public string Path => _path;

    public static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    public void Append(Event entry)
    {
        var payload = entry.ToByteArray();
        var length = BitConverter.GetBytes((ulong)payload.LongLength);
        if (!BitConverter.IsLittleEndian) Array.Reverse(length);
        using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
        file.Write(length);
        file.Write(LittleEndian(MaskedCrc(length)));
        file.Write(payload);
        file.Write(LittleEndian(MaskedCrc(payload)));
    }

    private static byte[] LittleEndian(uint value)
    {
        var bytes = BitConverter.GetBytes(value);
        if (!BitConverter.IsLittleEndian) Array.Reverse(bytes);
        return bytes;
    }

    /// <summary>TFRecord's mask over CRC-32C: rotate right by 15 bits and add a constant.</summary>
    internal static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var value = i;
            for (var bit = 0; bit < 8; bit++) value = (value & 1) != 0 ? (value >> 1) ^ 0x82F63B78u : value >> 1;
            table[i] = value;
        }
        return table;
    }

    /// <summary>CRC-32C (Castagnoli), reflected, as TFRecord uses it.</summary>
    internal static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }
}
