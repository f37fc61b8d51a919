using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Compatibility;

/// <summary>A redis-server on a free loopback port, nothing saved, killed on dispose.</summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private RedisServerProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
        // Never outlive the test run, even if the fixture is not disposed.
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    public int Port { get; }

    /// <summary>
    /// Starts redis-server from PATH. Missing, it is a failure with the install hint, never a silent
    /// pass (as <see cref="ExternalProgram"/> does for redis-cli; scripts/test.sh installs both).
    /// </summary>
    public static async Task<RedisServerProcess> StartAsync()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "'redis-server' is not installed, so the differential test cannot run. Install it with 'apt-get install -y redis-server' (scripts/test.sh does this).");
        var directory = Directory.CreateTempSubdirectory("dst-diff-redis-").FullName;
        var port = FreePort.Next();
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory,
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new Win32Exception("could not start redis-server");
        var server = new RedisServerProcess(process, directory, port);
        process.OutputDataReceived += (_, line) => server.Log(line.Data);
        process.ErrorDataReceived += (_, line) => server.Log(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilAnsweringAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
    }

    private void Log(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}:\n{_output}");
            }
            if (started.Elapsed > ServerProcess.StartDeadline)
            {
                throw new TimeoutException($"redis-server did not answer PING within {ServerProcess.StartDeadline.TotalSeconds:0} s:\n{_output}");
            }
            try
            {
                await using var connection = await ReplyConnection.ConnectAsync(Port);
                if ((await connection.RunAsync(Command.Of("PING").Args)).ToString() == "PONG")
                {
                    return;
                }
            }
            catch (Exception error) when (error is SocketException or IOException)
            {
            }
            await Task.Delay(50);
        }
    }
}
