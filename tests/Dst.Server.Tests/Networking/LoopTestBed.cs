using System.Net;
using System.Net.Sockets;
using Dst.Server.Networking;

namespace Dst.Server.Tests.Networking;

/// <summary>
/// An event loop and a loopback listener for tests of the sockets a loop serves: connected pairs
/// (the accepted end on the loop), and the loop's unexpected errors collected to assert on, since
/// an assertion failing on the loop thread would reach no test.
/// </summary>
internal sealed class LoopTestBed : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<Exception> _loopErrors = [];
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public LoopTestBed()
    {
        Loop = new EventLoop("test-loop", e => { lock (_loopErrors) { _loopErrors.Add(e); } });
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
    }

    public EventLoop Loop { get; }

    /// <summary>A new connection: the accepted end served by <see cref="Loop"/>, and the dialling end.</summary>
    public async Task<(LoopSocket Server, Socket Client)> ConnectAsync()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = _listener.AcceptAsync();
        await client.ConnectAsync(_listener.LocalEndPoint!);
        var accepted = await accept.WaitAsync(Patience);
        return (new LoopSocket(accepted, Loop), client);
    }

    public void AssertNoLoopErrors()
    {
        lock (_loopErrors)
        {
            Assert.Empty(_loopErrors);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        Loop.Dispose();
    }
}
