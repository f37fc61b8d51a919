using Dst.Raft;

namespace Dst.Cluster.Tests.Support;

/// <summary>Seeded generator of messages that exercise every field, including extreme values.</summary>
internal sealed class RandomMessages(int seed)
{
    private static readonly MessageType[] AllTypes = Enum.GetValues<MessageType>();

    private readonly Random _random = new(seed);

    public Message Next() => Next(AllTypes[_random.Next(AllTypes.Length)]);

    public Message Next(MessageType type, ulong from = 0, ulong to = 0) => new()
    {
        Type = type,
        To = to != 0 ? to : NextId(),
        From = from != 0 ? from : NextId(),
        Term = NextNumber(),
        LogTerm = NextNumber(),
        Index = NextNumber(),
        Commit = NextNumber(),
        Reject = _random.Next(2) == 1,
        RejectHint = NextNumber(),
        Context = NextNumber(),
        LeaderTransfer = _random.Next(2) == 1,
        Entries = NextEntries(),
        Snapshot = _random.Next(4) == 0 ? NextSnapshot() : null,
    };

    /// <summary>Small, large and extreme values, so every varint length is hit.</summary>
    public ulong NextNumber() => _random.Next(6) switch
    {
        0 => 0,
        1 => (ulong)_random.Next(128),
        2 => (ulong)_random.NextInt64(),
        3 => ulong.MaxValue - (ulong)_random.Next(3),
        _ => (ulong)_random.Next(1_000_000),
    };

    public byte[] NextBytes(int maxLength)
    {
        var bytes = new byte[_random.Next(maxLength + 1)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private ulong NextId() => (ulong)_random.Next(1, 10);

    private Entry[] NextEntries()
    {
        var entries = new Entry[_random.Next(5) == 0 ? 0 : _random.Next(1, 20)];
        for (var i = 0; i < entries.Length; i++)
        {
            var type = _random.Next(5) == 0 ? EntryType.ConfChange : EntryType.Normal;
            entries[i] = new Entry(NextNumber(), NextNumber(), type, NextBytes(300));
        }
        return entries;
    }

    private Snapshot NextSnapshot()
    {
        var confState = new ConfState(Ids(), Ids(), Ids(), Ids(), _random.Next(2) == 1);
        return new Snapshot(new SnapshotMetadata(NextNumber(), NextNumber(), confState), NextBytes(2000));
    }

    private ulong[] Ids()
    {
        var ids = new ulong[_random.Next(6)];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = NextNumber();
        }
        return ids;
    }
}
