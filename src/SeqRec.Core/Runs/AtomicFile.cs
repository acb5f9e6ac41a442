using System.Text;

namespace SeqRec.Runs;

/// <summary>
/// Writes a file so that readers (and a crash) only ever see the old content or the complete new content: the data
/// goes to a temporary file in the same directory, is flushed to disk, and then replaces the target by rename.
/// </summary>
public static class AtomicFile
{
    /// <summary>Temporary files carry this marker; a crash mid-write can leave one, never a torn target file.</summary>
    public const string TempMarker = ".tmp-";

    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $"{Path.GetFileName(fullPath)}{TempMarker}{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text)));

    public static void WriteBinary(string path, Action<BinaryWriter> write) =>
        Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            write(writer);
            writer.Flush();
        });

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
