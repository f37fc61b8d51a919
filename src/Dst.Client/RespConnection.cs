using System.Buffers;
using System.Net.Sockets;
using Dst.Protocol;

namespace Dst.Client;

/// <summary>
/// One TCP connection to a RESP server. Commands go out as multibulks; replies come back in
/// order and are read into <see cref="RespValue"/> trees. Pipelining: <see cref="Send(string[])"/>
/// any number of commands, <see cref="FlushAsync"/>, then <see cref="ReadReplyAsync"/> once per
/// command (or use <see cref="ExecuteManyAsync"/>). RESP3 pushes that arrive between replies are
/// set aside for <see cref="ReadPushAsync"/>. Error replies are returned as values, not thrown.
/// <para>
/// One operation at a time (concurrent use throws). A cancelled or failed operation leaves the
/// stream at an unknown point, so the connection is marked broken and every later call throws
/// <see cref="RespConnectionException"/>: dispose it and connect again.
/// </para>
/// </summary>
public sealed class RespConnection : IAsyncDisposable
{
    private const int InitialBufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly ArrayBufferWriter<byte> _outgoing = new(InitialBufferSize);
    private readonly ReceiveBuffer _incoming = new(InitialBufferSize);
    private readonly RespReader _reader;
    private readonly Queue<RespValue> _pushes = new();
    private readonly Queue<RespValue> _repliesReadEarly = new();
    private int _busy;
    private string? _brokenReason;
    private bool _disposed;

    private RespConnection(Socket socket, RespReaderLimits limits)
    {
        _socket = socket;
        _reader = new RespReader(limits);
    }

    /// <summary>The protocol the server replies in: 2 until <see cref="HelloAsync"/> switches to 3.</summary>
    public int Protocol { get; private set; } = 2;

    /// <summary>Commands sent whose replies have not been read yet.</summary>
    public int PendingReplies { get; private set; }

    public static Task<RespConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken = default) =>
        ConnectAsync(host, port, RespReaderLimits.Default, cancellationToken);

    public static async Task<RespConnection> ConnectAsync(string host, int port, RespReaderLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(limits);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RespConnection(socket, limits);
    }

    public Task<RespValue> ExecuteAsync(params string[] args) => ExecuteAsync(args, CancellationToken.None);

    public Task<RespValue> ExecuteAsync(string[] args, CancellationToken cancellationToken) =>
        Run(() =>
        {
            Enqueue(args);
            return FlushAndReadAsync(cancellationToken);
        });

    public Task<RespValue> ExecuteAsync(params byte[][] args) => ExecuteAsync(args.Select(a => (ReadOnlyMemory<byte>)a).ToArray(), CancellationToken.None);

    public Task<RespValue> ExecuteAsync(ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken = default) =>
        Run(() =>
        {
            Enqueue(args);
            return FlushAndReadAsync(cancellationToken);
        });

    /// <summary>Sends every command in one write, then reads their replies, in order.</summary>
    public Task<RespValue[]> ExecuteManyAsync(IEnumerable<string[]> commands, CancellationToken cancellationToken = default) =>
        Run(async () =>
        {
            var count = 0;
            foreach (var command in commands)
            {
                Enqueue(command);
                count++;
            }
            await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
            var replies = new RespValue[count];
            for (var i = 0; i < count; i++)
            {
                replies[i] = await ReadReplyCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            return replies;
        });

    /// <summary>Queues a command to be written by the next <see cref="FlushAsync"/>; no I/O.</summary>
    public void Send(params string[] args)
    {
        ThrowIfUnusableOrBusy();
        Enqueue(args);
    }

    /// <summary>Queues a binary command to be written by the next <see cref="FlushAsync"/>; no I/O.</summary>
    public void Send(params ReadOnlyMemory<byte>[] args)
    {
        ThrowIfUnusableOrBusy();
        Enqueue(args);
    }

    /// <summary>Queues a command and writes everything queued.</summary>
    public Task SendAsync(string[] args, CancellationToken cancellationToken = default)
    {
        Send(args);
        return FlushAsync(cancellationToken);
    }

    /// <summary>Writes every queued command to the socket.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        Run(async () =>
        {
            await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>The reply to the oldest command whose reply has not been read; pushes met on the way are kept for <see cref="ReadPushAsync"/>.</summary>
    public Task<RespValue> ReadReplyAsync(CancellationToken cancellationToken = default) => Run(() => ReadReplyCoreAsync(cancellationToken));

    /// <summary>
    /// The next RESP3 push (pub/sub message, invalidation). Replies that arrive first are kept for
    /// <see cref="ReadReplyAsync"/>. On RESP2, pub/sub messages are plain arrays: read them with
    /// <see cref="ReadReplyAsync"/>.
    /// </summary>
    public Task<RespValue> ReadPushAsync(CancellationToken cancellationToken = default) =>
        Run(async () =>
        {
            while (_pushes.Count == 0)
            {
                var value = await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
                if (value.Type == RespType.Push)
                {
                    return value;
                }
                _repliesReadEarly.Enqueue(value);
            }
            return _pushes.Dequeue();
        });

    /// <summary>
    /// Sends <c>HELLO &lt;protocol&gt;</c>. On success the connection speaks that protocol from now
    /// on and the server's map is returned; an error reply (NOPROTO) leaves the protocol unchanged.
    /// </summary>
    public async Task<RespValue> HelloAsync(int protocol, CancellationToken cancellationToken = default)
    {
        var reply = await ExecuteAsync(["HELLO", protocol.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        if (!reply.IsError)
        {
            Protocol = protocol;
        }
        return reply;
    }

    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }
        _disposed = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing left to shut down.
        }
        _socket.Dispose();
        // Only release the receive buffer once no operation can still be using it.
        if (Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            _incoming.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    private void Enqueue(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        RequestEncoder.Write(_outgoing, args);
        PendingReplies++;
    }

    private void Enqueue(ReadOnlyMemory<byte>[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        RequestEncoder.Write(_outgoing, args);
        PendingReplies++;
    }

    private async Task<RespValue> FlushAndReadAsync(CancellationToken cancellationToken)
    {
        await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        return await ReadReplyCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FlushCoreAsync(CancellationToken cancellationToken)
    {
        var pending = _outgoing.WrittenMemory;
        while (!pending.IsEmpty)
        {
            var sent = await _socket.SendAsync(pending, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            pending = pending[sent..];
        }
        _outgoing.ResetWrittenCount();
    }

    private async Task<RespValue> ReadReplyCoreAsync(CancellationToken cancellationToken)
    {
        if (PendingReplies == 0)
        {
            throw new InvalidOperationException("No command is waiting for a reply.");
        }
        RespValue reply;
        if (_repliesReadEarly.Count > 0)
        {
            reply = _repliesReadEarly.Dequeue();
        }
        else
        {
            reply = await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            while (reply.Type == RespType.Push)
            {
                _pushes.Enqueue(reply);
                reply = await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        PendingReplies--;
        return reply;
    }

    /// <summary>The next whole frame from the socket, receiving until one is complete.</summary>
    private async Task<RespValue> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = TryParseBuffered(out var value, out var error);
            if (status == ParseStatus.Complete)
            {
                return value!;
            }
            if (status == ParseStatus.Error)
            {
                throw new RespConnectionException($"The server sent invalid RESP: {error}");
            }
            var received = await _socket.ReceiveAsync(_incoming.GetFreeSpace(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                throw new RespConnectionException(PendingReplies > 0
                    ? $"The server closed the connection with {PendingReplies} repl{(PendingReplies == 1 ? "y" : "ies")} outstanding."
                    : "The server closed the connection.");
            }
            _incoming.Commit(received);
        }
    }

    private ParseStatus TryParseBuffered(out RespValue? value, out string? error)
    {
        var reader = new SequenceReader<byte>(_incoming.Unread);
        var status = _reader.TryRead(ref reader, out value, out error);
        if (status == ParseStatus.Complete)
        {
            _incoming.Consume(reader.Consumed);
        }
        return status;
    }

    /// <summary>Runs one operation exclusively; any failure inside it breaks the connection.</summary>
    private async Task<T> Run<T>(Func<Task<T>> operation)
    {
        ThrowIfUnusable();
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            throw new InvalidOperationException("RespConnection runs one operation at a time; await the previous one first.");
        }
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not InvalidOperationException or ObjectDisposedException)
        {
            _brokenReason ??= exception switch
            {
                OperationCanceledException => "an operation was cancelled midway",
                RespConnectionException => exception.Message,
                _ => $"{exception.GetType().Name}: {exception.Message}",
            };
            if (exception is SocketException or ObjectDisposedException)
            {
                throw new RespConnectionException($"The connection failed: {exception.Message}", exception);
            }
            throw;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
            if (_disposed)
            {
                _incoming.Dispose();
            }
        }
    }

    private void ThrowIfUnusableOrBusy()
    {
        ThrowIfUnusable();
        if (Volatile.Read(ref _busy) != 0)
        {
            throw new InvalidOperationException("RespConnection runs one operation at a time; await the previous one first.");
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_brokenReason is not null)
        {
            throw new RespConnectionException($"The connection is no longer usable: {_brokenReason}.");
        }
    }
}
