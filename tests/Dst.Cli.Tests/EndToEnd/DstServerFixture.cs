using Dst.Testing.Network;
using Dst.Testing.Processes;

namespace Dst.Cli.Tests.EndToEnd;

/// <summary>
/// A real dst-server (the shared <see cref="ServerProcess"/> harness) shared by the tests of one
/// class. Its port is fixed for its lifetime: <see cref="KillAsync"/> and <see cref="StartAgainAsync"/>
/// stop and restart it on the same port and directory, as a user reconnecting to "the" server sees it.
/// </summary>
public sealed class DstServerFixture : IAsyncLifetime
{
    private readonly string[] _extraArguments;
    private ServerProcess? _server;

    public DstServerFixture()
        : this([])
    {
    }

    /// <summary>A server with more options (xunit creates class fixtures through the public constructor only).</summary>
    internal DstServerFixture(params string[] extraArguments)
    {
        _extraArguments = extraArguments;
    }

    public int Port => Server.Port;

    public string Log => Server.Output;

    private ServerProcess Server => _server ?? throw new InvalidOperationException("the fixture has not started");

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(new ServerStart { Arguments = _extraArguments, Port = FreePort.Next() });

    /// <summary>Starts the server again on the same port and data directory.</summary>
    public Task StartAgainAsync() => Server.RestartAsync();

    /// <summary>SIGKILL: every connection the server had is dropped at once.</summary>
    public Task KillAsync() => Server.KillAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
