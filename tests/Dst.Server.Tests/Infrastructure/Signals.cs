using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Dst.Server.Tests.Infrastructure;

/// <summary>POSIX signals .NET does not send by itself (Process.Kill is SIGKILL only).</summary>
public static partial class Signals
{
    private const int SigTerm = 15;

    public static void Terminate(int processId)
    {
        if (kill(processId, SigTerm) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({processId}, SIGTERM) failed");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
