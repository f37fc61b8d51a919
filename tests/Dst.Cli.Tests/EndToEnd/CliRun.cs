using System.Diagnostics;
using System.Text;
using Dst.Testing.Processes;

namespace Dst.Cli.Tests.EndToEnd;

/// <summary>One finished run of the real dst-cli binary: what it printed and how it exited.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Only a hung process ever reaches this; it is a guard, not a timing assertion.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Runs <c>dst-cli</c> with <paramref name="arguments"/>, feeding <paramref name="stdin"/> and then closing it.</summary>
    public static async Task<CliRun> RunAsync(IEnumerable<string> arguments, string stdin = "")
    {
        using var process = Process.Start(DotnetProcess.StartInfo("dst-cli.dll", arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dst-cli {string.Join(' ', arguments)} did not finish:\n{await stdout}\n{await stderr}");
        }
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    public override string ToString() => new StringBuilder()
        .AppendLine($"exit code {ExitCode}").AppendLine("--- stdout").AppendLine(Stdout).AppendLine("--- stderr").Append(Stderr).ToString();
}
