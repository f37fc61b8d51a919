using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dst.Testing.Network;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of one target port, for one directed link between two nodes
/// (node i dials the proxy instead of node j's cluster port). It passes, drops or delays traffic
/// (<see cref="LinkMode"/>). Switching to <see cref="LinkMode.Drop"/> cuts every live connection
/// (with a reset) and blackholes new ones; switching back cuts the blackholed ones, because the
/// dialler believes their bytes were delivered and a stream with a hole in it cannot be resumed:
/// the node must notice and dial again, as after a real partition heals and the TCP connection dies.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<ProxiedConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _acceptLoop;
    private LinkMode _mode = LinkMode.Pass;
    private TimeSpan _delay;
    private long _forwardedBytes;
    private long _discardedBytes;

    private FaultProxy(Socket listener, int targetPort, string name)
    {
        _listener = listener;
        _targetPort = targetPort;
        Name = name;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>A proxy listening on a free loopback port that forwards to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static FaultProxy Start(int targetPort, string name = "proxy")
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(64);
            return new FaultProxy(listener, targetPort, name);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    public string Name { get; }

    /// <summary>The port to dial instead of the target.</summary>
    public int Port { get; }

    public LinkMode Mode
    {
        get
        {
            lock (_gate)
            {
                return _mode;
            }
        }
    }

    /// <summary>Connections currently open through (or into) the proxy.</summary>
    public int OpenConnections => _connections.Count;

    public long ForwardedBytes => Interlocked.Read(ref _forwardedBytes);

    /// <summary>Bytes read from blackholed connections and thrown away.</summary>
    public long DiscardedBytes => Interlocked.Read(ref _discardedBytes);

    public void Pass() => SetMode(LinkMode.Pass, TimeSpan.Zero);

    public void Drop() => SetMode(LinkMode.Drop, TimeSpan.Zero);

    public void Delay(TimeSpan delay) => SetMode(LinkMode.Delay, delay);

    public override string ToString() => $"{Name} (:{Port} -> :{_targetPort}, {Mode})";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        foreach (var connection in _connections.Keys)
        {
            connection.Cut();
        }
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private void SetMode(LinkMode mode, TimeSpan delay)
    {
        lock (_gate)
        {
            var wasDropping = _mode == LinkMode.Drop;
            _mode = mode;
            _delay = delay;
            if (wasDropping != (mode == LinkMode.Drop))
            {
                // Live connections become blackholes' victims, or blackholes end: either way they are cut.
                foreach (var connection in _connections.Keys)
                {
                    connection.Cut();
                }
            }
        }
    }

    private TimeSpan CurrentDelay()
    {
        lock (_gate)
        {
            return _mode == LinkMode.Delay ? _delay : TimeSpan.Zero;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        client.NoDelay = true;
        bool blackhole;
        lock (_gate)
        {
            blackhole = _mode == LinkMode.Drop;
        }
        Socket? upstream = null;
        if (!blackhole)
        {
            upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _targetPort), _stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The target is down: the dialler sees its connection closed, as it would dialling the target.
                upstream.Dispose();
                ProxiedConnection.Reset(client);
                return;
            }
        }
        var connection = new ProxiedConnection(client, upstream);
        _connections[connection] = 0;
        lock (_gate)
        {
            // The mode changed while connecting: this connection belongs to the previous mode.
            if (blackhole != (_mode == LinkMode.Drop))
            {
                connection.Cut();
            }
        }
        try
        {
            if (upstream is null)
            {
                await DiscardAsync(client);
            }
            else
            {
                await Task.WhenAll(PumpAsync(client, upstream, connection), PumpAsync(upstream, client, connection));
            }
        }
        finally
        {
            connection.Cut();
            _connections.TryRemove(connection, out _);
        }
    }

    private async Task DiscardAsync(Socket client)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                Interlocked.Add(ref _discardedBytes, read);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Copies one direction. A reader fills a queue of chunks stamped with their due time and a writer
    /// sends each when it is due, so a delay holds traffic back without reordering it.
    /// </summary>
    private async Task PumpAsync(Socket from, Socket to, ProxiedConnection connection)
    {
        var queue = System.Threading.Channels.Channel.CreateUnbounded<(byte[] Chunk, long Due)>(
            new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var (chunk, due) in queue.Reader.ReadAllAsync(_stop.Token))
                {
                    // Timers may fire a little early: wait again until the monotonic clock has passed the due time.
                    TimeSpan wait;
                    while ((wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due)) > TimeSpan.Zero)
                    {
                        await Task.Delay(wait + TimeSpan.FromMilliseconds(1), _stop.Token);
                    }
                    var sent = 0;
                    while (sent < chunk.Length)
                    {
                        sent += await to.SendAsync(chunk.AsMemory(sent), SocketFlags.None, _stop.Token);
                    }
                    Interlocked.Add(ref _forwardedBytes, chunk.Length);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
            }
            connection.Cut();
        });
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                queue.Writer.TryWrite((buffer.AsSpan(0, read).ToArray(), Stopwatch.GetTimestamp() + (long)(CurrentDelay().TotalSeconds * Stopwatch.Frequency)));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        queue.Writer.TryComplete();
        await writer;
    }
}
