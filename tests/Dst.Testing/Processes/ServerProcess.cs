using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Dst.Client;
using Dst.Protocol;
using Dst.Testing.Network;
using Dst.Testing.Resp;

namespace Dst.Testing.Processes;

/// <summary>
/// A real <c>dst-server</c> process on a loopback port with its own temporary data directory.
/// Start waits until the server answers PING; <see cref="KillAsync"/> is SIGKILL (a crash),
/// <see cref="Pause"/>/<see cref="Resume"/> are SIGSTOP/SIGCONT, <see cref="RestartAsync"/> starts it
/// again on the same directory, and disposing kills it and deletes the directory. Everything the
/// process printed is kept for failure messages. The server tests and the cli tests both start
/// servers through this one class.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>How long a start may take on a loaded 2-core machine before the test gives up.</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly ProcessOutput _output = new();
    private readonly int? _fixedPort;
    private readonly string _name;
    private string[] _arguments;
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

    private ServerProcess(string dataDirectory, string[] arguments, int? fixedPort, string name)
    {
        DataDirectory = dataDirectory;
        _arguments = arguments;
        _fixedPort = fixedPort;
        _name = name;
        Port = fixedPort ?? 0;
    }

    public string DataDirectory { get; }

    /// <summary>The port of the current run: the fixed one if <see cref="ServerStart.Port"/> was given, otherwise a fresh one per run.</summary>
    public int Port { get; private set; }

    /// <summary>True between <see cref="Pause"/> and <see cref="Resume"/> (or a kill).</summary>
    public bool IsPaused { get; private set; }

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("the server is not running");

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Everything the server wrote to stdout and stderr, across restarts.</summary>
    public string Output => _output.ToString();

    /// <summary>
    /// Starts a server with <c>--port</c>, <c>--bind 127.0.0.1</c> and <c>--dir</c> chosen here, plus
    /// <paramref name="arguments"/>. With <paramref name="configFile"/>, that text is written to a
    /// config file passed first, as <c>redis-server /path/redis.conf --port ...</c> takes it.
    /// </summary>
    public static Task<ServerProcess> StartAsync(string[]? arguments = null, string? configFile = null) =>
        StartAsync(new ServerStart { Arguments = arguments ?? [], ConfigFile = configFile });

    public static Task<ServerProcess> StartAsync(params string[] arguments) => StartAsync(arguments, null);

    public static async Task<ServerProcess> StartAsync(ServerStart options)
    {
        var server = await CreateAsync(options);
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

    /// <summary>
    /// The server's directory and options without starting it (<see cref="RestartAsync"/> starts it),
    /// so several servers can be prepared first and started in parallel.
    /// </summary>
    public static async Task<ServerProcess> CreateAsync(ServerStart options)
    {
        var directory = Directory.CreateTempSubdirectory("dst-server-test-").FullName;
        var all = new List<string>();
        if (options.ConfigFile is not null)
        {
            var path = Path.Combine(directory, "dst.conf");
            await File.WriteAllTextAsync(path, options.ConfigFile);
            all.Add(path);
        }
        all.AddRange(options.Arguments);
        return new ServerProcess(Path.Combine(directory, "data"), [.. all], options.Port, options.Name);
    }

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
        IsPaused = false;
        Forget();
    }

    /// <summary>SIGSTOP: frozen with its sockets open, as a long GC pause or a stalled VM looks to its peers.</summary>
    public void Pause()
    {
        Signals.Stop(ProcessId);
        IsPaused = true;
    }

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume()
    {
        Signals.Continue(ProcessId);
        IsPaused = false;
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

    /// <summary>
    /// Starts the server again on the same data directory (killing it first if it still runs), with
    /// <paramref name="arguments"/> instead of the previous options when given (a node re-added with
    /// <c>--join</c> instead of <c>--peers</c>).
    /// </summary>
    public async Task RestartAsync(IReadOnlyList<string>? arguments = null)
    {
        await KillAsync();
        if (arguments is not null)
        {
            _arguments = [.. arguments];
        }
        _output.Mark($"--- {_name} restart ---");
        await LaunchAsync();
    }

    /// <summary>Deletes everything the server stored (the process must not be running): a disk replaced by an empty one.</summary>
    public void WipeData()
    {
        if (!HasExited)
        {
            throw new InvalidOperationException("wipe the data of a stopped server only");
        }
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
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
        Port = _fixedPort ?? FreePort.Next();
        var start = DotnetProcess.StartInfo(
            "dst-server.dll",
            [.. _arguments, "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", DataDirectory]);
        _output.Mark($"$ ({_name}) dst-server {string.Join(' ', start.ArgumentList.Skip(1))}");
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

    /// <summary>
    /// Ready means a well-formed reply to PING: PONG, NOAUTH when a password is set, or CLUSTERDOWN
    /// from a cluster node that is up but has no leader yet.
    /// </summary>
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
                if (reply.Type == RespType.SimpleString
                    || reply.GetString()?.StartsWith("NOAUTH", StringComparison.Ordinal) == true
                    || reply.GetString()?.StartsWith("CLUSTERDOWN", StringComparison.Ordinal) == true)
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
