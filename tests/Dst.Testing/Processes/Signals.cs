using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Dst.Testing.Processes;

/// <summary>POSIX signals .NET does not send by itself (Process.Kill is SIGKILL only).</summary>
public static partial class Signals
{
    private const int SigCont = 18;
    private const int SigStop = 19;
    private const int SigTerm = 15;

    public static void Terminate(int processId) => Send(processId, SigTerm, "SIGTERM");

    /// <summary>SIGSTOP: the process freezes mid-instruction, sockets stay open, peers see silence.</summary>
    public static void Stop(int processId) => Send(processId, SigStop, "SIGSTOP");

    public static void Continue(int processId) => Send(processId, SigCont, "SIGCONT");

    private static void Send(int processId, int signal, string name)
    {
        if (kill(processId, signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({processId}, {name}) failed");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
