using System.Security.Cryptography;
using Dst.Commands.Entries;
using Dst.Protocol;

namespace Dst.Server.Replication;

/// <summary>
/// The exactly-once session under which a node forwards writes to the leader: each write gets the
/// next sequence number, and each entry tells the state machine through which sequence every reply
/// has reached this node (so the leader's session table forgets them). The id is random: a restarted
/// node, or one whose session the table evicted, starts a new session at sequence 1.
/// </summary>
internal sealed class ForwardSession
{
    private readonly Lock _gate = new();
    // Sequences handed out and not yet settled, in the order handed out; settled ones out of order wait in _settledEarly.
    private readonly Queue<ulong> _outstanding = new();
    private readonly HashSet<ulong> _settledEarly = [];
    private ulong _next = 1;

    public ulong Id { get; } = NewId();

    /// <summary>The session fields for the next write.</summary>
    public EntrySession Next(RespVersion replyVersion)
    {
        lock (_gate)
        {
            var sequence = _next++;
            var ackedThrough = _outstanding.TryPeek(out var oldest) ? oldest - 1 : sequence - 1;
            _outstanding.Enqueue(sequence);
            return new EntrySession(Id, sequence, replyVersion, ackedThrough);
        }
    }

    /// <summary>The write's outcome reached its client (a reply or a final failure): the leader need not keep its reply.</summary>
    public void Settle(ulong sequence)
    {
        lock (_gate)
        {
            if (!_outstanding.TryPeek(out var oldest) || oldest != sequence)
            {
                _settledEarly.Add(sequence);
                return;
            }
            _outstanding.Dequeue();
            while (_outstanding.TryPeek(out oldest) && _settledEarly.Remove(oldest))
            {
                _outstanding.Dequeue();
            }
        }
    }

    /// <summary>
    /// A random session id: never 0 (no session) and positive as a RESP integer, so DST.SESSION NEW
    /// can hand one to a client too. With 63 random bits two live sessions practically never collide.
    /// </summary>
    public static ulong NewId()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        ulong id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = BitConverter.ToUInt64(bytes) & long.MaxValue;
        }
        while (id == 0);
        return id;
    }
}
