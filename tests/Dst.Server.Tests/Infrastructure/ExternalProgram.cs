using System.ComponentModel;
using System.Diagnostics;

namespace Dst.Server.Tests.Infrastructure;

/// <summary>The outcome of running a program to completion.</summary>
public sealed record ProgramResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>
/// Runs a real tool (redis-cli, redis-benchmark, node) with arguments and optional stdin. A missing tool
/// is a test failure with the install hint, never a silent pass.
/// </summary>
public static class ExternalProgram
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    public static string Require(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            $"'{name}' is not installed, so this test cannot run. scripts/test.sh installs what the tests need (redis-tools, redis-server, python3-redis, nodejs, npm).");
    }

    public static async Task<ProgramResult> RunAsync(string name, IEnumerable<string> arguments, byte[]? standardInput = null)
    {
        var start = new ProcessStartInfo(Require(name))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new Win32Exception($"could not start {name}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(standardInput);
        }
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
            throw new TimeoutException($"{name} did not finish within {Deadline.TotalMinutes:0} minutes:\n{new ProgramResult(-1, await stdout, await stderr)}");
        }
        return new ProgramResult(process.ExitCode, await stdout, await stderr);
    }
}
