using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SeqRec.Cli;

/// <summary>
/// Keeps the relaunched child (<see cref="AllocatorRelauncher"/>) from outliving the <c>seqrec</c> process the user
/// sees: termination signals sent to the parent are passed on to the child, and the child asks the kernel for SIGTERM
/// when its parent dies in any way (<c>kill -9</c> included), which it handles as an interruption (the run stays
/// resumable). Without this, killing the visible process left the training child running and writing its run folder.
/// The interruption reaches the commands through <see cref="Interruption"/>, not only as a SIGINT: under
/// <c>nohup</c> or as a script's background job SIGINT is ignored, and an interruption sent as SIGINT would be lost.
/// </summary>
internal static partial class ChildLifetime
{
    public const string ParentPidVariable = "SEQREC_PARENT_PID";

    private const int SetParentDeathSignal = 1; // PR_SET_PDEATHSIG
    private const int SigHup = 1, SigInt = 2, SigQuit = 3, SigTerm = 15;

    private static List<PosixSignalRegistration>? interruptions;
    private static readonly CancellationTokenSource Interrupted = new();

    /// <summary>Cancelled when this relaunched child is told to stop: SIGTERM or SIGHUP, its parent's death included.</summary>
    public static CancellationToken Interruption => Interrupted.Token;

    /// <summary>A command's own cancellation joined with <see cref="Interruption"/>; dispose it when the command ends.</summary>
    public static CancellationTokenSource Linked(CancellationToken command) => CancellationTokenSource.CreateLinkedTokenSource(command, Interruption);

    /// <summary>
    /// In the child: SIGTERM when the parent dies, and SIGTERM or SIGHUP handled as Ctrl+C (the command stops at the
    /// next batch and says how to resume); exits at once if the parent is already gone.
    /// </summary>
    public static void TieToParent()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (!int.TryParse(Environment.GetEnvironmentVariable(ParentPidVariable), out var parent)) return;
        // Only this process is the relaunched child: processes it starts (bench points, tuning workers) must not
        // inherit the variable and mistake their own parent for a dead one.
        Environment.SetEnvironmentVariable(ParentPidVariable, null);
        interruptions = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            Interrupted.Cancel();
            _ = kill(Environment.ProcessId, SigInt);   // for what listens to Ctrl+C only; ignored under nohup
        }))];
        _ = prctl(SetParentDeathSignal, SigTerm, 0, 0, 0);
        if (getppid() != parent) Environment.Exit(128 + SigTerm); // the parent died before the request took effect
    }

    /// <summary>In the parent: SIGTERM, SIGHUP and SIGQUIT go to the child, which decides how to stop; this process waits for it.</summary>
    /// <remarks>SIGINT (Ctrl+C) already reaches the child through the terminal's process group.</remarks>
    public static IDisposable ForwardSignals(Process child)
    {
        var registrations = new (PosixSignal Signal, int Number)[] { (PosixSignal.SIGTERM, SigTerm), (PosixSignal.SIGHUP, SigHup), (PosixSignal.SIGQUIT, SigQuit) }
            .Select(s => PosixSignalRegistration.Create(s.Signal, context =>
            {
                context.Cancel = true;
                if (!child.HasExited) _ = kill(child.Id, s.Number);
            }))
            .ToList();
        return new Registrations(registrations);
    }

    private sealed class Registrations(List<PosixSignalRegistration> items) : IDisposable
    {
        public void Dispose() => items.ForEach(r => r.Dispose());
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [DllImport("libc")]
    private static extern int getppid();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
