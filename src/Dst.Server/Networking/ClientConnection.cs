using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Dst.Commands.Entries;
using Dst.Protocol;
using Dst.Server.Dispatch;
using Dst.Server.Pipeline;
using Dst.Server.PubSub;
using Dst.Server.Transactions;

namespace Dst.Server.Networking;

/// <summary>
/// One client: reads requests from its socket, parses every complete request in what arrived,
/// executes them in order, and answers the whole batch with one send. Writes of a batch are proposed
/// without waiting for each other; their replies are collected in order before anything that must
/// observe them (a read, a server command) and at the end of the batch.
/// </summary>
public sealed class ClientConnection : IDisposable
{
    /// <summary>Replies beyond this size are sent before the rest of the batch runs, bounding memory.</summary>
    private const int EarlyFlushBytes = 256 * 1024;

    private const int InitialReceiveBytes = 16 * 1024;

    private readonly LoopSocket _socket;
    private readonly ServerContext _server;
    private readonly PooledBufferWriter _output = new(4096);
    private readonly CommandArgs _args = new();
    private readonly List<Proposal> _unproposed = [];
    private readonly Queue<PendingWrite> _pending = new();
    private byte[] _receive = ArrayPool<byte>.Shared.Rent(InitialReceiveBytes);
    private int _start;
    private int _end;
    private volatile bool _closeRequested;
    private long _batchCommands;
    private long _batchErrors;
    // Reply bytes of the current batch already sent because the output grew past EarlyFlushBytes.
    private long _batchSentEarly;

    // The clock reads of this pass over received requests share (-1: read it again).
    private long _readClockMs = -1;

    /// <summary>Output length after the last drain of pending writes: replies before it are already counted.</summary>
    private int _drainedUpTo;

    public ClientConnection(LoopSocket socket, ServerContext server, long id)
    {
        _socket = socket;
        _server = server;
        Id = id;
        Reply = new RespWriter(_output);
        Address = Format(socket.RemoteEndPoint);
        LocalAddress = Format(socket.LocalEndPoint);
        CreatedAtMs = Environment.TickCount64;
        LastInteractionMs = CreatedAtMs;
        Authenticated = server.Options.RequirePass is null;
    }

    public long Id { get; }

    public string Address { get; }

    public string LocalAddress { get; }

    public long CreatedAtMs { get; }

    public long LastInteractionMs { get; private set; }

    /// <summary>The reply writer for the command being executed; its version is the connection's protocol.</summary>
    public RespWriter Reply { get; }

    public RespVersion Protocol
    {
        get => Reply.Version;
        set => Reply.Version = value;
    }

    public bool Authenticated { get; set; }

    public string? Name { get; set; }

    public string? LibraryName { get; set; }

    public string? LibraryVersion { get; set; }

    /// <summary>The last command's name, lower case, for CLIENT LIST's cmd field.</summary>
    public string LastCommand { get; set; } = "NULL";

    /// <summary>Bytes received and not yet parsed (CLIENT LIST qbuf).</summary>
    public int QueryBufferBytes => _end - _start;

    public int OutputBufferBytes => _output.WrittenCount;

    public ServerContext Server => _server;

    /// <summary>WATCHed keys and the MULTI queue; null until the connection first uses them.</summary>
    public TransactionState? Transaction { get; set; }

    /// <summary>Subscriptions and the outbox of published messages; null until the connection first subscribes.</summary>
    public Subscriber? Subscriber { get; set; }

    /// <summary>READONLY was sent: on a follower in redirect routing, reads are served here (after a ReadIndex round).</summary>
    public bool ReadOnlyMode { get; set; }

    /// <summary>The exactly-once session this connection's writes are numbered in (DST.SESSION); null for plain writes.</summary>
    public ConnectionSession? Session { get; set; }

    /// <summary>Session fields for the connection's next write entry (none without a session).</summary>
    public EntrySession NextWriteSession() => Session?.Next(Protocol) ?? EntrySession.None;

    /// <summary>
    /// A read barrier completed since this batch of requests arrived and since this connection's
    /// last write was acknowledged: every later read of the batch is ordered after everything it
    /// must see, so one ReadIndex round serves a whole pipelined batch.
    /// </summary>
    public bool ReadBarrierPassed { get; set; }

    /// <summary>The log index of this connection's last write appended here (what WAIT asks replicas about).</summary>
    public ulong LastWriteIndex { get; private set; }

    public async Task RunAsync()
    {
        try
        {
            while (!_closeRequested)
            {
                if (!MakeRoomToReceive())
                {
                    _server.Log.Warning($"Closing client id={Id} addr={Address}: query buffer of {_end - _start} bytes reached client-query-buffer-limit");
                    break;
                }
                var received = await _socket.ReceiveAsync(_receive.AsMemory(_end)).ConfigureAwait(false);
                if (received == 0)
                {
                    break;
                }
                _end += received;
                LastInteractionMs = Environment.TickCount64;
                var execution = ExecuteReceivedAsync();
                if (!execution.IsCompletedSuccessfully)
                {
                    await execution.ConfigureAwait(false);
                }
                // The batch's last writes are awaited here rather than in a callee, so a batch of writes
                // suspends this one frame until they apply (each suspended frame costs the loop's CPU).
                if (ProposeForDrain())
                {
                    while (TakeAppliedReplies() is { } inFlight)
                    {
                        try
                        {
                            await inFlight.Completion.ConfigureAwait(false);
                        }
                        catch (LogUnavailableException)
                        {
                            // TakeAppliedReplies answers it.
                        }
                    }
                }
                var sent = _batchSentEarly + _output.WrittenCount;
                await SendOutputAsync().ConfigureAwait(false);
                Subscriber?.EndBatch();
                _server.Stats.AddBatch(_batchCommands, received, sent, _batchErrors);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The peer went away or the connection was killed; nothing is left to answer.
        }
        finally
        {
            Subscriber?.Close();
            await AbandonPendingAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends published messages while no batch is running (the subscriber's outbox keeps the two apart).</summary>
    internal ValueTask SendPushesAsync(ReadOnlyMemory<byte> messages) => _socket.SendAsync(messages);

    /// <summary>
    /// For a client parked by a blocking command: completes when the peer closes (true) or sends more
    /// (false), without consuming anything.
    /// </summary>
    internal Task<bool> WaitForPeerCloseAsync(CancellationToken stop) => _socket.WaitForPeerCloseAsync(stop);

    /// <summary>Answers a client refused before its first request with <paramref name="error"/>, then closes it.</summary>
    public async Task RefuseAsync(byte[] error)
    {
        try
        {
            await _socket.SendAsync(error).ConfigureAwait(false);
            _socket.Shutdown();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client left first.
        }
    }

    /// <summary>Closes the connection once the current batch's replies have been sent (QUIT, killing oneself).</summary>
    public void CloseAfterReply() => _closeRequested = true;

    /// <summary>Closes the connection from another thread (CLIENT KILL, shutdown).</summary>
    public void Kill()
    {
        _closeRequested = true;
        _socket.Shutdown();
    }

    /// <summary>
    /// Queues an encoded write. Queued writes are proposed together when something must observe them
    /// (a read, a server command, the end of the batch), and their replies copied out in order.
    /// </summary>
    public void AddPendingWrite(Proposal proposal) => _unproposed.Add(proposal);

    /// <summary>The last write queued and not yet proposed, which a following write may join (<see cref="Proposal.TryAddToBatch"/>).</summary>
    public Proposal? LastUnproposedWrite => _unproposed.Count > 0 ? _unproposed[^1] : null;

    public bool HasPendingWrites => _unproposed.Count > 0 || _pending.Count > 0;

    /// <summary>
    /// "Now" for a read's expiry checks: one clock reading serves the reads of a pass over received
    /// requests until the connection waits for anything (its writes, a read barrier, a send), so each
    /// read's time still lies between its arrival and its reply. Reading the clock was 3-4% of a GET.
    /// </summary>
    public long ReadClockMs() => _readClockMs >= 0 ? _readClockMs : _readClockMs = ServerContext.NowUnixMs();

    /// <summary>The next read reads the clock again (called whenever the connection is about to wait).</summary>
    public void ForgetReadClock() => _readClockMs = -1;

    /// <summary>Proposes the queued writes, waits for them in order and writes their replies to the output.</summary>
    public ValueTask DrainPendingAsync() => ProposeForDrain() && TakeAppliedReplies() is not null ? AwaitPendingAsync() : ValueTask.CompletedTask;

    /// <summary>The start of a drain: proposes the queued writes; false when no write is queued or in flight.</summary>
    private bool ProposeForDrain()
    {
        if (_unproposed.Count == 0 && _pending.Count == 0)
        {
            return false;
        }
        // A follower learns of a forwarded write's commit before applying it: the next read needs its own barrier.
        ReadBarrierPassed = false;
        ForgetReadClock();
        ProposeQueued();
        return true;
    }

    private void ProposeQueued()
    {
        if (_unproposed.Count == 0)
        {
            return;
        }
        // Completions are taken before proposing: once proposed, a proposal may complete at any moment.
        foreach (var proposal in _unproposed)
        {
            _pending.Enqueue(new(proposal, proposal.CompletionVersion));
        }
        _server.CommandLog.Propose(CollectionsMarshal.AsSpan(_unproposed));
        _unproposed.Clear();
    }

    [AsyncMethodBuilder(typeof(PooledTaskBuilder))]
    private async ValueTask AwaitPendingAsync()
    {
        while (TakeAppliedReplies() is { } inFlight)
        {
            try
            {
                await inFlight.Completion.ConfigureAwait(false);
            }
            catch (LogUnavailableException)
            {
                // TakeAppliedReplies answers it.
            }
        }
    }

    /// <summary>
    /// Writes out, in order, the replies of the pending writes already applied (or the error of one that
    /// failed), and returns the first write still in flight, or null once none is pending. Most of a
    /// batch has been applied by the time its first reply is taken, so one wait serves the batch.
    /// </summary>
    private PendingWrite? TakeAppliedReplies()
    {
        while (_pending.TryPeek(out var write))
        {
            try
            {
                if (!write.Proposal.TryGetResult(write.Version))
                {
                    return write;
                }
                LastWriteIndex = Math.Max(LastWriteIndex, write.Proposal.Index);
                var reply = write.Proposal.Reply.WrittenSpan;
                if (reply.Length > 0 && reply[0] == (byte)'-')
                {
                    _batchErrors++;
                }
                _output.Write(reply);
            }
            catch (LogUnavailableException e)
            {
                Reply.WriteError(e.Message);
                _batchErrors++;
            }
            _pending.Dequeue();
            _server.CommandLog.Return(write.Proposal);
        }
        _drainedUpTo = _output.WrittenCount;
        return null;
    }

    /// <summary>
    /// Executes every complete request received (a batch): reads are answered into the output, writes
    /// queued or proposed; <see cref="RunAsync"/> then waits for the writes and sends the replies.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledTaskBuilder))]
    private async ValueTask ExecuteReceivedAsync()
    {
        ReadBarrierPassed = false;
        ForgetReadClock();
        _batchCommands = 0;
        _batchErrors = 0;
        _batchSentEarly = 0;
        Subscriber?.BeginBatch();
        while (!_closeRequested)
        {
            var status = ParseNext(out var protocolError);
            if (status == ParseStatus.Incomplete)
            {
                break;
            }
            if (status == ParseStatus.Error)
            {
                await DrainPendingAsync().ConfigureAwait(false);
                Reply.WriteError(protocolError ?? "ERR Protocol error");
                _batchErrors++;
                _closeRequested = true;
                break;
            }
            if (_args.Count == 0)
            {
                continue;
            }
            _batchCommands++;
            var before = _output.WrittenCount;
            var execution = CommandDispatcher.ExecuteAsync(this, _args);
            if (!execution.IsCompletedSuccessfully)
            {
                await execution.ConfigureAwait(false);
            }
            // Replies of earlier writes drained by this command were counted as they were copied.
            var ownReply = Math.Max(before, _drainedUpTo);
            if (_output.WrittenCount > ownReply && _output.WrittenSpan[ownReply] == (byte)'-')
            {
                _batchErrors++;
            }
            if (_output.WrittenCount > EarlyFlushBytes)
            {
                await DrainPendingAsync().ConfigureAwait(false);
                _batchSentEarly += _output.WrittenCount;
                await SendOutputAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Parses one request from the unconsumed received bytes into <see cref="_args"/>.</summary>
    private ParseStatus ParseNext(out string? error)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_receive, _start, _end - _start));
        var status = _server.Parser.TryParse(ref reader, _args, Authenticated, out error);
        if (status == ParseStatus.Complete)
        {
            _start += (int)reader.Consumed;
        }
        return status;
    }

    private async ValueTask SendOutputAsync()
    {
        ForgetReadClock();
        if (Subscriber is { } subscriber)
        {
            await subscriber.WaitForPushesAsync().ConfigureAwait(false);
        }
        await _socket.SendAsync(_output.WrittenMemory).ConfigureAwait(false);
        _output.Clear();
        _output.ShrinkTo(EarlyFlushBytes * 2);
        _drainedUpTo = 0;
    }

    /// <summary>
    /// Moves unparsed bytes to the front and grows the buffer when a request is larger than it, up to
    /// client-query-buffer-limit. Returns false when the limit is reached.
    /// </summary>
    private bool MakeRoomToReceive()
    {
        if (_start == _end)
        {
            _start = _end = 0;
            if (_receive.Length > InitialReceiveBytes * 4)
            {
                ArrayPool<byte>.Shared.Return(_receive);
                _receive = ArrayPool<byte>.Shared.Rent(InitialReceiveBytes);
            }
            return true;
        }
        if (_end < _receive.Length)
        {
            return true;
        }
        var unparsed = _end - _start;
        if (unparsed >= _server.Options.ClientQueryBufferLimit)
        {
            return false;
        }
        if (unparsed * 2 <= _receive.Length)
        {
            Buffer.BlockCopy(_receive, _start, _receive, 0, unparsed);
        }
        else
        {
            var size = (int)Math.Min(Array.MaxLength, Math.Min(_server.Options.ClientQueryBufferLimit + 1, _receive.Length * 2L));
            var grown = ArrayPool<byte>.Shared.Rent(size);
            Buffer.BlockCopy(_receive, _start, grown, 0, unparsed);
            ArrayPool<byte>.Shared.Return(_receive);
            _receive = grown;
        }
        _start = 0;
        _end = unparsed;
        return true;
    }

    /// <summary>A connection that dies with writes in flight still returns their proposals to the pool.</summary>
    private async ValueTask AbandonPendingAsync()
    {
        foreach (var proposal in _unproposed)
        {
            _server.CommandLog.Return(proposal);
        }
        _unproposed.Clear();
        while (_pending.TryDequeue(out var write))
        {
            try
            {
                await write.Completion.ConfigureAwait(false);
            }
            catch (LogUnavailableException)
            {
                // The write failed; nobody is left to tell.
            }
            _server.CommandLog.Return(write.Proposal);
        }
    }

    private static string Format(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip when ip.Address.IsIPv4MappedToIPv6 => $"{ip.Address.MapToIPv4()}:{ip.Port}",
        IPEndPoint ip when ip.AddressFamily == AddressFamily.InterNetworkV6 => $"[{ip.Address}]:{ip.Port}",
        IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        _ => endPoint?.ToString() ?? "?",
    };

    public void Dispose()
    {
        _socket.Dispose();
        _output.Dispose();
        _args.Dispose();
        if (_receive.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_receive);
            _receive = [];
        }
    }

    private readonly record struct PendingWrite(Proposal Proposal, short Version)
    {
        public ValueTask Completion => new(Proposal, Version);
    }
}
