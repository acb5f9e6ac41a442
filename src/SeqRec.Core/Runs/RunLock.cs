using System.Globalization;

namespace SeqRec.Runs;

/// <summary>
/// The one writer of a run folder: an exclusive OS lock on <c>.lock</c> inside it, held while the run trains and
/// released by the kernel when the process ends in any way, so a crashed run never blocks its own resume. A second
/// process (a <c>run --resume</c> of a folder still being written, say) is refused with the holder's process id,
/// which the holder writes to <c>.lock.owner</c> (the locked file itself cannot be read by others).
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _stream;

    private RunLock(FileStream stream) => _stream = stream;

    public static RunLock Acquire(RunDirectory run)
    {
        var path = Path.Combine(run.Path, ".lock");
        var ownerPath = path + ".owner";
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            var owner = File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : "unknown";
            throw new SeqRecException($"{run.Path}: the run folder is being written by another process (pid {owner}); " +
                "wait for it to end or stop it before resuming");
        }
        File.WriteAllText(ownerPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new RunLock(stream);
    }

    public void Dispose() => _stream.Dispose();
}
