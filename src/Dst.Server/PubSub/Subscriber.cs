using Dst.Protocol;
using Dst.Server.Networking;

namespace Dst.Server.PubSub;

/// <summary>
/// One connection's subscriptions and its outbox of published messages. Messages are formatted into
/// the outbox by the publisher's thread and sent by a flush of their own while the connection is
/// idle; while the connection runs a batch they wait, so they never interleave with its replies and
/// never overtake a SUBSCRIBE confirmation. Like Redis's client-output-buffer-limit for pubsub, a
/// subscriber whose unsent messages pass <see cref="OutboxLimitBytes"/> is disconnected.
/// </summary>
public sealed class Subscriber
{
    /// <summary>Redis's default hard limit for pubsub clients (client-output-buffer-limit pubsub 32mb).</summary>
    public const int OutboxLimitBytes = 32 * 1024 * 1024;

    private readonly ClientConnection _client;
    private readonly PubSubHub _hub;
    private readonly HashSet<byte[]> _channels = new(ByteKeyComparer.Instance);
    private readonly HashSet<byte[]> _patterns = new(ByteKeyComparer.Instance);
    private readonly Lock _gate = new();
    private PooledBufferWriter _pending = new(256);
    private PooledBufferWriter _sending = new(256);
    private readonly RespWriter _writer;

    // Guarded by _gate.
    private bool _busy = true; // created by a SUBSCRIBE, in the middle of a batch
    private bool _flushing;
    private bool _closed;
    private TaskCompletionSource _flushDone = Completed();

    public Subscriber(ClientConnection client, PubSubHub hub)
    {
        _client = client;
        _hub = hub;
        _writer = new RespWriter(_pending);
    }

    public int Count => _channels.Count + _patterns.Count;

    public bool HasSubscriptions => Count > 0;

    /// <summary>SUBSCRIBE/PSUBSCRIBE one name; replies the confirmation with the new subscription count.</summary>
    public void Subscribe(ReadOnlySpan<byte> name, bool pattern, RespWriter reply)
    {
        var set = pattern ? _patterns : _channels;
        if (!set.GetAlternateLookup<ReadOnlySpan<byte>>().Contains(name))
        {
            var key = name.ToArray();
            set.Add(key);
            _hub.Add(this, key, pattern);
        }
        WriteConfirmation(reply, pattern ? "psubscribe"u8 : "subscribe"u8, name);
    }

    /// <summary>UNSUBSCRIBE/PUNSUBSCRIBE one name; replies the confirmation with the remaining count.</summary>
    public void Unsubscribe(ReadOnlySpan<byte> name, bool pattern, RespWriter reply)
    {
        var set = pattern ? _patterns : _channels;
        var lookup = set.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(name, out var key))
        {
            set.Remove(key);
            _hub.Remove(this, key, pattern);
        }
        WriteConfirmation(reply, pattern ? "punsubscribe"u8 : "unsubscribe"u8, name);
    }

    /// <summary>UNSUBSCRIBE/PUNSUBSCRIBE without names: every one, or a single confirmation with a nil name when there is none.</summary>
    public void UnsubscribeEvery(bool pattern, RespWriter reply)
    {
        var set = pattern ? _patterns : _channels;
        if (set.Count == 0)
        {
            reply.WritePushHeader(3);
            reply.WriteBulkString(pattern ? "punsubscribe"u8 : "unsubscribe"u8);
            reply.WriteNull();
            reply.WriteInteger(Count);
            return;
        }
        foreach (var name in set.ToArray())
        {
            Unsubscribe(name, pattern, reply);
        }
    }

    /// <summary>RESET and disconnects: drop every subscription without replying.</summary>
    public void UnsubscribeAll()
    {
        foreach (var name in _channels)
        {
            _hub.Remove(this, name, pattern: false);
        }
        foreach (var name in _patterns)
        {
            _hub.Remove(this, name, pattern: true);
        }
        _channels.Clear();
        _patterns.Clear();
    }

    /// <summary>PING while subscribed in RESP2 answers <c>["pong", message or ""]</c>, as Redis does.</summary>
    public void WritePingReply(RespWriter reply, CommandArgs args)
    {
        if (args.Count > 2)
        {
            reply.WriteError(Dst.Commands.CommandErrors.WrongArity("ping"));
            return;
        }
        reply.WriteArrayHeader(2);
        reply.WriteBulkString("pong"u8);
        reply.WriteBulkString(args.Count == 2 ? args[1] : []);
    }

    /// <summary>Called by the hub (under its lock) for every message this subscriber should receive.</summary>
    public void Deliver(byte[]? pattern, ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
    {
        bool startFlush;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _writer.Reset(_pending);
            _writer.Version = _client.Protocol;
            _writer.WritePushHeader(pattern is null ? 3 : 4);
            _writer.WriteBulkString(pattern is null ? "message"u8 : "pmessage"u8);
            if (pattern is not null)
            {
                _writer.WriteBulkString(pattern);
            }
            _writer.WriteBulkString(channel);
            _writer.WriteBulkString(message);
            if (_pending.WrittenCount > OutboxLimitBytes)
            {
                _closed = true;
                _pending.Clear();
                _client.Server.Log.Warning($"Closing client id={_client.Id} addr={_client.Address}: pubsub output of more than {OutboxLimitBytes} bytes unsent (client-output-buffer-limit pubsub)");
                _client.Kill();
                return;
            }
            startFlush = !_busy && !_flushing;
            if (startFlush)
            {
                BeginFlush();
            }
        }
        if (startFlush)
        {
            _ = FlushAsync();
        }
    }

    /// <summary>The connection starts a batch: messages wait until it has sent its replies.</summary>
    public void BeginBatch()
    {
        lock (_gate)
        {
            _busy = true;
        }
    }

    /// <summary>Completes once no flush of messages is sending, so the connection may send its own output.</summary>
    public Task WaitForPushesAsync()
    {
        lock (_gate)
        {
            return _flushing ? _flushDone.Task : Task.CompletedTask;
        }
    }

    /// <summary>The connection has sent its replies: deliver what arrived meanwhile.</summary>
    public void EndBatch()
    {
        bool startFlush;
        lock (_gate)
        {
            _busy = false;
            startFlush = !_closed && !_flushing && _pending.WrittenCount > 0;
            if (startFlush)
            {
                BeginFlush();
            }
        }
        if (startFlush)
        {
            _ = FlushAsync();
        }
    }

    /// <summary>The connection is gone: unsubscribe everything and drop unsent messages.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _pending.Clear();
        }
        UnsubscribeAll();
    }

    private void BeginFlush()
    {
        _flushing = true;
        _flushDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task FlushAsync()
    {
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_closed || _busy || _pending.WrittenCount == 0)
                    {
                        break;
                    }
                    (_pending, _sending) = (_sending, _pending);
                }
                await _client.SendPushesAsync(_sending.WrittenMemory).ConfigureAwait(false);
                _sending.Clear();
                _sending.ShrinkTo(64 * 1024);
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            // The connection is closing; its receive loop cleans up.
        }
        finally
        {
            lock (_gate)
            {
                _flushing = false;
                _flushDone.TrySetResult();
            }
        }
    }

    private void WriteConfirmation(RespWriter reply, ReadOnlySpan<byte> kind, ReadOnlySpan<byte> name)
    {
        reply.WritePushHeader(3);
        reply.WriteBulkString(kind);
        reply.WriteBulkString(name);
        reply.WriteInteger(Count);
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
