using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dst.Client;

namespace Dst.Cli.Tests.EndToEnd;

/// <summary>
/// A real dst-server on a free loopback port with a temporary --dir, shared by the tests of one
/// class. Ready once it answers PING (or NOAUTH, with a password); killed and its directory deleted
/// at the end. <see cref="KillAsync"/> and <see cref="StartAgainAsync"/> stop and restart it on the same port and directory.
/// </summary>
public sealed class DstServerFixture : IAsyncLifetime
{
    /// <summary>Generous: a cold start on a loaded 2-core machine. Only a hang ever reaches it.</summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private readonly StringBuilder _log = new();
    private readonly string[] _extraArguments;
    private Process? _process;
    private string _directory = "";

    public int Port { get; private set; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public DstServerFixture()
        : this([])
    {
    }

    /// <summary>A server with more options (xunit creates class fixtures through the public constructor only).</summary>
    internal DstServerFixture(params string[] extraArguments)
    {
        _extraArguments = extraArguments;
    }

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("dst-cli-test-").FullName;
        Port = FreePortNumber();
        await StartAgainAsync();
    }

    /// <summary>Starts the server (again) on the same port and data directory.</summary>
    public async Task StartAgainAsync()
    {
        var start = DotnetProcess.StartInfo(
            "dst-server.dll",
            ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory, .. _extraArguments]);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPingAsync();
    }

    /// <summary>SIGKILL: every connection the server had is dropped at once.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        await KillAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitForPingAsync()
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"dst-server exited with code {_process.ExitCode} before answering PING:\n{Log}");
            }
            if (started.Elapsed > StartDeadline)
            {
                throw new TimeoutException($"dst-server did not answer PING within {StartDeadline.TotalSeconds} s:\n{Log}");
            }
            try
            {
                await using var connection = await RespConnection.ConnectAsync("127.0.0.1", Port);
                var reply = await connection.ExecuteAsync("PING");
                if (reply.GetString() == "PONG" || reply.GetString()?.StartsWith("NOAUTH", StringComparison.Ordinal) == true)
                {
                    return;
                }
            }
            catch (Exception error) when (error is SocketException or IOException)
            {
                await Task.Delay(50); // Not listening yet: poll the condition again.
            }
        }
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static int FreePortNumber()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
