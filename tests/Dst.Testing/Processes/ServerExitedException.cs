namespace Dst.Testing.Processes;

/// <summary>The server process ended before it answered PING (bad options, a crash at start).</summary>
public sealed class ServerExitedException(int exitCode, string serverOutput, string fullOutput)
    : Exception($"dst-server exited with code {exitCode} before answering PING. Output:\n{fullOutput}")
{
    public int ExitCode { get; } = exitCode;

    /// <summary>Only what the process printed in the run that ended, for asserting on its message.</summary>
    public string ServerOutput { get; } = serverOutput;
}
