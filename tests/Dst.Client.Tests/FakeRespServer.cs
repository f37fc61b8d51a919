using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Dst.Protocol;

namespace Dst.Client.Tests;

/// <summary>
/// A tiny RESP server on 127.0.0.1 for the client's own tests: it parses requests with our
/// <see cref="RequestParser"/> and answers each with the bytes the test's handler returns (any
/// frames, pushes, garbage, or null to close the connection). Optionally writes its replies in
/// small chunks to exercise the client's reassembly.
/// </summary>
internal sealed class FakeRespServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<CommandArgs, byte[]?> _handler;
    private readonly int _writeChunk;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;

    public FakeRespServer(Func<CommandArgs, byte[]?> handler, int writeChunk = int.MaxValue)
    {
        _handler = handler;
        _writeChunk = writeChunk;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task<RespConnection> ConnectAsync() => RespConnection.ConnectAsync("127.0.0.1", Port);

    public static byte[] Encode(RespValue value) => RespValueEncoder.ToArray(value);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(socket));
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped by DisposeAsync (InvalidOperationException: stopped before the loop first accepted).
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var owned = socket;
        socket.NoDelay = true;
        var parser = new RequestParser(ProtocolLimits.Default);
        using var args = new CommandArgs();
        var buffer = new byte[1 << 20];
        var buffered = 0;
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(buffered), SocketFlags.None, _stop.Token);
                if (received == 0)
                {
                    return;
                }
                buffered += received;
                var consumed = 0;
                while (true)
                {
                    var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer, consumed, buffered - consumed));
                    if (parser.TryParse(ref reader, args, authenticated: true, out _) != ParseStatus.Complete)
                    {
                        break;
                    }
                    consumed += (int)reader.Consumed;
                    var reply = _handler(args);
                    if (reply is null)
                    {
                        socket.Shutdown(SocketShutdown.Both);
                        return;
                    }
                    for (var offset = 0; offset < reply.Length; offset += _writeChunk)
                    {
                        await socket.SendAsync(reply.AsMemory(offset, Math.Min(_writeChunk, reply.Length - offset)), SocketFlags.None, _stop.Token);
                    }
                }
                buffer.AsSpan(consumed, buffered - consumed).CopyTo(buffer);
                buffered -= consumed;
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException)
        {
            // The client went away or the server is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
