using System.Security.Cryptography;
using System.Text;

namespace SeqRec.Runs;

/// <summary>
/// Binary files that end with the SHA-256 of everything before them (checkpoints, resume states), written atomically
/// and checked before anything in them is used, so flipped or cut bytes are an error rather than silently different
/// weights or state.
/// </summary>
public static class DigestedFile
{
    public const int DigestBytes = 32;

    /// <summary>Writes what <paramref name="write"/> writes, then its digest, atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<BinaryWriter> write)
    {
        using var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true)) write(writer);
        var digest = SHA256.HashData(content.GetBuffer().AsSpan(0, (int)content.Length));
        AtomicFile.WriteBinary(path, writer =>
        {
            writer.Write(content.GetBuffer(), 0, (int)content.Length);
            writer.Write(digest);
        });
    }

    /// <summary>
    /// Checks the trailing digest of the file open in <paramref name="stream"/> (read once, in blocks) and restores the
    /// stream's position. <paramref name="what"/> names the kind of file in the error.
    /// </summary>
    public static void Verify(Stream stream, string path, string what)
    {
        var contentLength = stream.Length - DigestBytes;
        if (contentLength <= 0) throw new SeqRecException($"{path}: the {what} is truncated ({stream.Length} bytes)");
        var start = stream.Position;
        stream.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (var left = contentLength; left > 0;)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0) throw new SeqRecException($"{path}: the {what} is truncated");
            hash.AppendData(buffer, 0, read);
            left -= read;
        }
        var stored = new byte[DigestBytes];
        stream.ReadExactly(stored);
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(stored))
            throw new SeqRecException($"{path}: the {what} is corrupt: its SHA-256 does not match its content (the file was changed or damaged after it was written)");
        stream.Position = start;
    }

    /// <summary>A length prefix read from a file, checked against what is left of it before anything is allocated.</summary>
    public static int Length(BinaryReader reader, string path, string what, string part)
    {
        var length = reader.ReadInt32();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new SeqRecException($"{path}: the {what} is corrupt (a {part} of {length} bytes in a file of {reader.BaseStream.Length})");
        return length;
    }
}
