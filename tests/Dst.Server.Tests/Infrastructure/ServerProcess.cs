using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Dst.Client;
using Dst.Protocol;

namespace Dst.Server.Tests.Infrastructure;

/// <summary>
/// A real <c>dst-server</c> process on a free loopback port with its own temporary data directory.
/// Start waits until the server answers PING; <see cref="KillAsync"/> is SIGKILL (a crash),
/// <see cref="RestartAsync"/> starts it again on the same directory, and disposing kills it and
/// deletes the directory. Everything the process printed is kept for failure messages.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>How long a start may take on a loaded 2-core machine before the test gives up.</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly string[] _arguments;
    private readonly ProcessOutput _output = new();
    private Process? _process;

    static ServerProcess()
    {
        // Servers never outlive the test run, even when a test forgets to dispose one.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
            {
                TryKill(process);
            }
        };
    }

    private ServerProcess(string dataDirectory, string[] arguments)
    {
        DataDirectory = dataDirectory;
        _arguments = arguments;
    }

    public string DataDirectory { get; }

    /// <summary>The port of the current run; a restart picks a fresh one.</summary>
    public int Port { get; private set; }

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("the server is not running");

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Everything the server wrote to stdout and stderr, across restarts.</summary>
    public string Output => _output.ToString();

    /// <summary>
    /// Starts a server with <c>--port</c>, <c>--bind 127.0.0.1</c> and <c>--dir</c> chosen here, plus
    /// <paramref name="arguments"/>. With <paramref name="configFile"/>, that text is written to a
    /// config file passed first, as <c>redis-server /path/redis.conf --port ...</c> takes it.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string[]? arguments = null, string? configFile = null)
    {
        var directory = Directory.CreateTempSubdirectory("dst-server-test-").FullName;
        var all = new List<string>();
        if (configFile is not null)
        {
            var path = Path.Combine(directory, "dst.conf");
            await File.WriteAllTextAsync(path, configFile);
            all.Add(path);
        }
        all.AddRange(arguments ?? []);
        var server = new ServerProcess(Path.Combine(directory, "data"), [.. all]);
        try
        {
            await server.LaunchAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public static Task<ServerProcess> StartAsync(params string[] arguments) => StartAsync(arguments, null);

    /// <summary>A Dst.Client connection for well-formed commands.</summary>
    public Task<RespConnection> ConnectAsync() => RespConnection.ConnectAsync("127.0.0.1", Port);

    /// <summary>A raw socket for bytes no client library would send.</summary>
    public Task<RawConnection> ConnectRawAsync() => RawConnection.ConnectAsync(Port);

    /// <summary>SIGKILL: the process gets no chance to flush or close anything.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
        Forget();
    }

    /// <summary>SIGTERM: the polite stop a service manager sends.</summary>
    public void Terminate() => Signals.Terminate(ProcessId);

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        var process = _process ?? throw new InvalidOperationException("the server is not running");
        using var deadline = new CancellationTokenSource(StartDeadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"dst-server did not exit within {StartDeadline.TotalSeconds:0} s. Output:\n{Output}");
        }
        var code = process.ExitCode;
        Forget();
        return code;
    }

    /// <summary>Starts the server again on the same data directory (killing it first if it still runs).</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        _output.Mark("--- restart ---");
        await LaunchAsync();
    }

    /// <summary>Resident set size from /proc/&lt;pid&gt;/status (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{ProcessId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("no VmRSS line in /proc status");
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(Path.GetDirectoryName(DataDirectory)!, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private async Task LaunchAsync()
    {
        Port = FreePort.Next();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dst-server.dll"));
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var argument in (string[])["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", DataDirectory])
        {
            start.ArgumentList.Add(argument);
        }
        _output.Mark($"$ dst-server {string.Join(' ', start.ArgumentList.Skip(1))}");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => _output.Add(line.Data);
        process.ErrorDataReceived += (_, line) => _output.Add(line.Data);
        process.Start();
        Running[process.Id] = process;
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync(process);
    }

    /// <summary>Ready means a well-formed reply to PING: PONG, or NOAUTH when a password is set.</summary>
    private async Task WaitUntilAnsweringAsync(Process process)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new ServerExitedException(process.ExitCode, _output.CurrentRun(), Output);
            }
            if (started.Elapsed > StartDeadline)
            {
                throw new TimeoutException($"dst-server did not answer PING within {StartDeadline.TotalSeconds:0} s. Output:\n{Output}");
            }
            try
            {
                await using var connection = await ConnectAsync();
                var reply = await connection.RunAsync("PING");
                if (reply.Type == RespType.SimpleString || reply.GetString()?.StartsWith("NOAUTH", StringComparison.Ordinal) == true)
                {
                    return;
                }
                throw new InvalidOperationException($"dst-server answered PING with {reply}. Output:\n{Output}");
            }
            catch (Exception error) when (error is SocketException or IOException)
            {
                await Task.Delay(50); // not listening yet: poll again
            }
        }
    }

    private void Forget()
    {
        if (_process is not null)
        {
            Running.TryRemove(_process.Id, out _);
            _process.Dispose();
            _process = null;
        }
    }

    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
    }
}
