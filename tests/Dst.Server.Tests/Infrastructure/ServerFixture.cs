namespace Dst.Server.Tests.Infrastructure;

/// <summary>
/// One default <c>dst-server</c> shared by the tests of a class (xunit class fixture): starting a
/// process per test would dominate the run time. Tests that share it use keys of their own.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("the fixture has not started");

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
