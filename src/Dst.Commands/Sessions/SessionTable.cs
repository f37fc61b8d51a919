using System.Buffers.Binary;
using Dst.Commands.Entries;
using Dst.Commands.Snapshots;

namespace Dst.Commands.Sessions;

/// <summary>What the state machine does with a write that belongs to a session.</summary>
public enum SessionVerdict
{
    /// <summary>Not applied before: apply it and keep its reply.</summary>
    Apply,
    /// <summary>Already applied: answer with the kept reply, change nothing.</summary>
    Duplicate,
    /// <summary>Cannot be told apart from an applied write whose reply is gone: refuse, change nothing.</summary>
    Refuse,
}

/// <summary>
/// The exactly-once table (Raft thesis 6.3, seed 001's "client id + request sequence number"): per
/// client id, the replies of applied writes the client may still retry. It is part of the replicated
/// state: every replica changes it at the same entries, it is bounded deterministically (at most
/// <see cref="StateMachineOptions.MaxSessions"/> sessions, the least recently used evicted; at most
/// <see cref="StateMachineOptions.MaxRepliesPerSession"/> replies each), and it travels in snapshots.
/// <para>
/// A session starts at sequence 1: a write with a higher sequence from an unknown client belongs to a
/// session that was evicted, and is refused rather than risk applying it twice.
/// </para>
/// </summary>
public sealed class SessionTable(StateMachineOptions options)
{
    private readonly Dictionary<ulong, ClientSession> _sessions = [];
    private ClientSession? _oldest;
    private ClientSession? _newest;

    public int Count => _sessions.Count;

    public ClientSession? Find(ulong clientId) => _sessions.GetValueOrDefault(clientId);

    /// <summary>Sessions from least to most recently used.</summary>
    public IEnumerable<ClientSession> InEvictionOrder()
    {
        for (var session = _oldest; session is not null; session = session.Newer)
        {
            yield return session;
        }
    }

    /// <summary>
    /// Decides a session write at log <paramref name="index"/>. For <see cref="SessionVerdict.Duplicate"/>,
    /// <paramref name="reply"/> is the kept reply; for <see cref="SessionVerdict.Refuse"/>, <paramref name="error"/> says why.
    /// </summary>
    public SessionVerdict Decide(in WriteEntryHeader header, ulong index, out byte[]? reply, out string? error)
    {
        reply = null;
        error = null;
        var sequence = header.Sequence;
        if (!_sessions.TryGetValue(header.ClientId, out var session))
        {
            if (sequence != 1)
            {
                error = $"SESSIONEXPIRED session {header.ClientId} is unknown (expired or never started); this request did not apply sequence {sequence}";
                return SessionVerdict.Refuse;
            }
            session = Open(header.ClientId);
        }
        Touch(session, index);
        session.Acknowledge(header.AckedThrough);
        if (sequence == 0 || sequence <= session.AckedThrough)
        {
            error = $"ERR session {header.ClientId} already acknowledged sequence {sequence}; it is not applied again";
            return SessionVerdict.Refuse;
        }
        reply = session.ReplyOf(sequence);
        if (reply is not null)
        {
            return SessionVerdict.Duplicate;
        }
        if (sequence <= session.TruncatedThrough)
        {
            error = $"ERR session {header.ClientId} no longer keeps the reply of sequence {sequence}; it is not applied again";
            return SessionVerdict.Refuse;
        }
        return SessionVerdict.Apply;
    }

    /// <summary>Keeps the reply of a write <see cref="Decide"/> said to apply.</summary>
    public void Keep(ulong clientId, ulong sequence, byte[] reply) =>
        _sessions[clientId].Keep(sequence, reply, options.MaxRepliesPerSession);

    public void Clear()
    {
        _sessions.Clear();
        _oldest = _newest = null;
    }

    /// <summary>Takes over a table loaded from a snapshot.</summary>
    public void ReplaceWith(SessionTable loaded)
    {
        Clear();
        foreach (var session in loaded.InEvictionOrder().ToList())
        {
            _sessions.Add(session.Id, session);
            Append(session);
        }
    }

    private ClientSession Open(ulong clientId)
    {
        while (_sessions.Count >= options.MaxSessions && _oldest is { } evicted)
        {
            Unlink(evicted);
            _sessions.Remove(evicted.Id);
        }
        var session = new ClientSession(clientId);
        _sessions.Add(clientId, session);
        Append(session);
        return session;
    }

    private void Touch(ClientSession session, ulong index)
    {
        session.LastUsedIndex = index;
        if (_newest != session)
        {
            Unlink(session);
            Append(session);
        }
    }

    private void Append(ClientSession session)
    {
        session.Older = _newest;
        session.Newer = null;
        if (_newest is null)
        {
            _oldest = session;
        }
        else
        {
            _newest.Newer = session;
        }
        _newest = session;
    }

    private void Unlink(ClientSession session)
    {
        if (session.Older is null)
        {
            _oldest = session.Newer;
        }
        else
        {
            session.Older.Newer = session.Newer;
        }
        if (session.Newer is null)
        {
            _newest = session.Older;
        }
        else
        {
            session.Newer.Older = session.Older;
        }
        session.Older = session.Newer = null;
    }

    // Snapshot section (framed by SnapshotSection), written after the key-modification table. Its
    // body is the session count u32, then per session from least to most recently used:
    // id u64 | last-used index u64 | acked-through u64 | truncated-through u64 | reply count u32 | (sequence u64, length u32, reply)*.
    private static ReadOnlySpan<byte> Magic => "DSTSESS\u0001"u8;

    public static bool StartsSection(ReadOnlySpan<byte> firstBytes) => firstBytes.SequenceEqual(Magic);

    /// <summary>The section's bytes: small, so it is encoded whole (and can be taken while the keyspace is locked).</summary>
    public byte[] EncodeSection()
    {
        var bodyLength = sizeof(uint);
        foreach (var session in _sessions.Values)
        {
            bodyLength += (4 * sizeof(ulong)) + sizeof(uint);
            foreach (var (_, reply) in session.Replies)
            {
                bodyLength += sizeof(ulong) + sizeof(uint) + reply.Length;
            }
        }
        return SnapshotSection.Frame(Magic, bodyLength, this, static (body, table) => table.WriteBody(body));
    }

    private void WriteBody(Span<byte> body)
    {
        var at = Put(body, 0, (uint)_sessions.Count);
        foreach (var session in InEvictionOrder())
        {
            at = Put(body, at, session.Id);
            at = Put(body, at, session.LastUsedIndex);
            at = Put(body, at, session.AckedThrough);
            at = Put(body, at, session.TruncatedThrough);
            at = Put(body, at, (uint)session.ReplyCount);
            foreach (var (sequence, reply) in session.Replies)
            {
                at = Put(body, at, sequence);
                at = Put(body, at, (uint)reply.Length);
                reply.CopyTo(body[at..]);
                at += reply.Length;
            }
        }
    }

    /// <summary>Fills an empty table from a section whose magic has already been consumed; throws <see cref="InvalidDataException"/> when damaged.</summary>
    private void LoadSection(Stream source)
    {
        var body = SnapshotSection.ReadBody(source, Magic, int.MaxValue - sizeof(uint), "session table");
        var loaded = new List<ClientSession>();
        var reader = new SectionReader(body);
        var count = reader.UInt32();
        for (var i = 0u; i < count; i++)
        {
            var session = new ClientSession(reader.UInt64())
            {
                LastUsedIndex = reader.UInt64(),
                AckedThrough = reader.UInt64(),
                TruncatedThrough = reader.UInt64(),
            };
            var replies = reader.UInt32();
            for (var r = 0u; r < replies; r++)
            {
                var sequence = reader.UInt64();
                session.Load(sequence, reader.Bytes(reader.UInt32()));
            }
            loaded.Add(session);
        }
        reader.EnsureAtEnd();
        foreach (var session in loaded)
        {
            if (!_sessions.TryAdd(session.Id, session))
            {
                throw new InvalidDataException($"snapshot session table holds session {session.Id} twice");
            }
            Append(session);
        }
    }

    /// <summary>A table read from a section whose magic has already been consumed.</summary>
    public static SessionTable ReadSection(Stream source, StateMachineOptions options)
    {
        var table = new SessionTable(options);
        table.LoadSection(source);
        return table;
    }

    private static int Put(Span<byte> span, int at, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(span[at..], value);
        return at + sizeof(ulong);
    }

    private static int Put(Span<byte> span, int at, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], value);
        return at + sizeof(uint);
    }

    private ref struct SectionReader(ReadOnlySpan<byte> body)
    {
        private ReadOnlySpan<byte> _remaining = body;

        public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(sizeof(ulong)));

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(sizeof(uint)));

        public byte[] Bytes(uint length) => Take(length).ToArray();

        public readonly void EnsureAtEnd()
        {
            if (!_remaining.IsEmpty)
            {
                throw new InvalidDataException($"snapshot session table has {_remaining.Length} trailing bytes");
            }
        }

        private ReadOnlySpan<byte> Take(uint length)
        {
            if (length > (uint)_remaining.Length)
            {
                throw new InvalidDataException("snapshot session table is truncated");
            }
            var taken = _remaining[..(int)length];
            _remaining = _remaining[(int)length..];
            return taken;
        }
    }
}
