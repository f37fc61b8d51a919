using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Dst.Cluster.Hosting;
using Dst.Protocol;
using Dst.Server.Logging;
using Dst.Server.Pipeline;

namespace Dst.Server.Replication;

/// <summary>
/// One pipelined RESP connection from a follower to the leader's client port that carries forwarded
/// writes as <c>DST.PROPOSE &lt;resp-version&gt; &lt;entry&gt;</c>. Writes from every client connection
/// are appended to one buffer and sent together by a writer loop; replies come back in order and
/// are copied, byte for byte, into the waiting proposals. When the connection breaks, the writes
/// in flight go back to the forwarder to be retried (they are in its exactly-once session) or, for
/// writes it cannot retry, fail with "outcome unknown"; the link is done.
/// </summary>
internal sealed class ForwardLink
{
    private static readonly ReadOnlyMemory<byte> ProposeCommand = "DST.PROPOSE"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Resp2 = "2"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Resp3 = "3"u8.ToArray();

    private readonly Lock _gate = new();
    private readonly Queue<Proposal?> _awaiting = new();
    private readonly SemaphoreSlim _sendSignal = new(0);
    private readonly ServerLog _log;
    private readonly LeaderForwarder _forwarder;
    private ArrayBufferWriter<byte> _outgoing = new(4096);
    private ArrayBufferWriter<byte> _sending = new(4096);
    private Socket? _socket;
    private bool _broken;

    public ForwardLink(ulong leaderId, NodeAddress leader, string? password, LeaderForwarder forwarder, ServerLog log)
    {
        LeaderId = leaderId;
        Leader = leader;
        _forwarder = forwarder;
        _log = log;
        if (password is not null)
        {
            // The AUTH reply is consumed by the null entry in the queue.
            RequestEncoder.Write(_outgoing, ["AUTH", password]);
            _awaiting.Enqueue(null);
        }
        _ = RunAsync();
    }

    public ulong LeaderId { get; }

    public NodeAddress Leader { get; }

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _awaiting.Count;
            }
        }
    }

    public bool IsBroken
    {
        get
        {
            lock (_gate)
            {
                return _broken;
            }
        }
    }

    /// <summary>Queues the proposal's entry for the leader; false when the link is broken (use a new one).</summary>
    public bool TrySend(Proposal proposal)
    {
        var version = proposal.ReplyVersion == RespVersion.Resp3 ? Resp3 : Resp2;
        lock (_gate)
        {
            if (_broken)
            {
                return false;
            }
            RequestEncoder.Write(_outgoing, [ProposeCommand, version, proposal.Payload.WrittenMemory]);
            _awaiting.Enqueue(proposal);
        }
        _sendSignal.Release();
        return true;
    }

    private async Task RunAsync()
    {
        try
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.ConnectAsync(Leader.Host, Leader.Port, connectTimeout.Token).ConfigureAwait(false);
            _socket = socket;
            _sendSignal.Release();
            var sending = SendLoopAsync(socket);
            try
            {
                await ReceiveLoopAsync(socket).ConfigureAwait(false);
            }
            finally
            {
                // Stops the send loop (it waits for a signal Break gives) before waiting for it.
                Break();
                await sending.ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidDataException)
        {
            _log.Verbose($"Forwarding link to node {LeaderId} ({Leader.ClientEndPoint}) closed: {e.Message}");
        }
        finally
        {
            Break();
        }
    }

    private async Task SendLoopAsync(Socket socket)
    {
        while (true)
        {
            await _sendSignal.WaitAsync().ConfigureAwait(false);
            lock (_gate)
            {
                if (_broken)
                {
                    return;
                }
                (_outgoing, _sending) = (_sending, _outgoing);
            }
            if (_sending.WrittenCount > 0)
            {
                await socket.SendAsync(_sending.WrittenMemory, SocketFlags.None).ConfigureAwait(false);
                _sending.Clear();
            }
        }
    }

    private async Task ReceiveLoopAsync(Socket socket)
    {
        var reader = new RespReader();
        var buffer = new byte[64 * 1024];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var received = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
            if (received == 0)
            {
                return;
            }
            filled += received;
            var consumed = 0;
            while (consumed < filled)
            {
                var sequence = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer, consumed, filled - consumed));
                var status = reader.TryMeasure(ref sequence, out var length, out var error);
                if (status == ParseStatus.Error)
                {
                    throw new InvalidDataException($"the leader sent an invalid reply: {error}");
                }
                if (status == ParseStatus.Incomplete)
                {
                    break;
                }
                Deliver(buffer.AsSpan(consumed, (int)length));
                consumed += (int)length;
            }
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
        }
    }

    private void Deliver(ReadOnlySpan<byte> reply)
    {
        Proposal? proposal;
        lock (_gate)
        {
            if (!_awaiting.TryDequeue(out proposal))
            {
                throw new InvalidDataException("the leader sent a reply nobody asked for");
            }
        }
        if (proposal is null)
        {
            if (reply[0] == (byte)'-')
            {
                _log.Warning($"Forwarding to node {LeaderId}: AUTH refused: {Encoding.UTF8.GetString(reply).TrimEnd()}");
            }
            return;
        }
        if (_forwarder.ShouldRetry(proposal, reply))
        {
            _forwarder.Retry(proposal, ReplicationErrors.Describe(ProposalAbandoned.OutcomeUnknown, LeaderId));
            return;
        }
        proposal.Reply.Write(reply);
        proposal.Complete();
    }

    /// <summary>Hands every write still waiting back to the forwarder: it may or may not have reached the leader.</summary>
    private void Break()
    {
        Proposal?[] orphans;
        lock (_gate)
        {
            if (_broken && _awaiting.Count == 0)
            {
                return;
            }
            _broken = true;
            orphans = [.. _awaiting];
            _awaiting.Clear();
        }
        _sendSignal.Release();
        _socket?.Dispose();
        var error = ReplicationErrors.Describe(ProposalAbandoned.OutcomeUnknown, LeaderId);
        // Once connected, anything queued may have reached the leader; a link that never connected sent nothing.
        var mayHaveSent = _socket is not null;
        foreach (var orphan in orphans)
        {
            if (orphan is not null)
            {
                orphan.MayHaveBeenApplied |= mayHaveSent;
                _forwarder.Retry(orphan, error);
            }
        }
    }

    public void Close()
    {
        try
        {
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
