using System.Runtime.InteropServices;

namespace Dst.Raft;

/// <summary>
/// An in-memory <see cref="IRaftStorage"/> for simulation and tests. Not thread-safe: the owner
/// serialises access, as the consensus core itself is single-threaded.
/// Layout (as in etcd): <c>entries[0]</c> is a dummy holding the snapshot's index and term, so
/// <c>Term(FirstIndex - 1)</c> is always answerable.
/// </summary>
public sealed class MemoryStorage : IRaftStorage
{
    private readonly List<Entry> _entries = [new Entry(0, 0, EntryType.Normal, ReadOnlyMemory<byte>.Empty)];
    private HardState _hardState;
    private Snapshot _snapshot = Raft.Snapshot.Empty;

    /// <summary>
    /// A storage bootstrapped for a founding member of a group of <paramref name="voters"/>: a
    /// snapshot at index 1, term 1 carrying the membership (and an empty state machine), so every
    /// later member can be brought up to date from a snapshot that includes the founding config.
    /// </summary>
    public static MemoryStorage Bootstrap(params ulong[] voters)
    {
        var storage = new MemoryStorage();
        storage.ApplySnapshot(new Snapshot(new SnapshotMetadata(1, 1, ConfState.Of(voters)), ReadOnlyMemory<byte>.Empty));
        storage.SetHardState(new HardState(1, 0, 1));
        return storage;
    }

    public RaftInitialState InitialState() => new(_hardState, _snapshot.Metadata.ConfState);

    public HardState HardState => _hardState;

    public void SetHardState(HardState hardState) => _hardState = hardState;

    public ulong FirstIndex => _entries[0].Index + 1;

    public ulong LastIndex => _entries[0].Index + (ulong)_entries.Count - 1;

    public Snapshot Snapshot() => _snapshot;

    public ulong Term(ulong index)
    {
        var offset = _entries[0].Index;
        if (index < offset)
        {
            throw new LogCompactedException(index, FirstIndex);
        }
        if (index - offset >= (ulong)_entries.Count)
        {
            throw new LogUnavailableException(index, LastIndex);
        }
        return _entries[(int)(index - offset)].Term;
    }

    public void Entries(ulong lo, ulong hi, ulong maxBytes, List<Entry> destination)
    {
        var offset = _entries[0].Index;
        if (lo <= offset)
        {
            throw new LogCompactedException(lo, FirstIndex);
        }
        if (hi > LastIndex + 1)
        {
            throw new LogUnavailableException(hi - 1, LastIndex);
        }
        var range = CollectionsMarshal.AsSpan(_entries)[(int)(lo - offset)..(int)(hi - offset)];
        var count = range.Length;
        ulong size = 0;
        for (var i = 0; i < range.Length; i++)
        {
            size += (ulong)range[i].PayloadSize;
            if (i > 0 && size > maxBytes)
            {
                count = i;
                break;
            }
        }
        destination.AddRange(range[..count]);
    }

    /// <summary>
    /// Persists entries handed out by a Ready. Entries that overlap the held log replace it from the
    /// first overlapping index on (a new leader may overwrite an uncommitted suffix); entries already
    /// compacted are ignored. A gap after the last index is a caller bug and throws.
    /// </summary>
    public void Append(IReadOnlyList<Entry> entries) => Append(Entry.AsSpan(entries));

    private void Append(ReadOnlySpan<Entry> entries)
    {
        if (entries.Length == 0)
        {
            return;
        }
        var first = FirstIndex;
        if (entries[^1].Index < first)
        {
            return;
        }
        if (entries[0].Index < first)
        {
            entries = entries[(int)(first - entries[0].Index)..];
        }
        var offset = entries[0].Index - _entries[0].Index;
        if (offset > (ulong)_entries.Count)
        {
            throw new RaftInvariantException(
                $"append leaves a gap: last index {LastIndex}, appending from {entries[0].Index}");
        }
        _entries.RemoveRange((int)offset, _entries.Count - (int)offset);
        _entries.AddRange(entries);
    }

    /// <summary>Replaces the whole log with <paramref name="snapshot"/> (a follower installing a leader's snapshot).</summary>
    public void ApplySnapshot(Snapshot snapshot)
    {
        var held = _snapshot.Metadata.Index;
        if (snapshot.Metadata.Index < held)
        {
            throw new SnapshotOutOfDateException(snapshot.Metadata.Index, held);
        }
        _snapshot = snapshot;
        _entries.Clear();
        _entries.Add(new Entry(snapshot.Metadata.Term, snapshot.Metadata.Index, EntryType.Normal, ReadOnlyMemory<byte>.Empty));
    }

    /// <summary>
    /// Records a snapshot the application took of its state machine at <paramref name="index"/>
    /// (which must be applied, hence within the log). Does not discard entries: call <see cref="Compact"/>.
    /// </summary>
    public Snapshot CreateSnapshot(ulong index, ConfState confState, ReadOnlyMemory<byte> data)
    {
        if (index <= _snapshot.Metadata.Index)
        {
            throw new SnapshotOutOfDateException(index, _snapshot.Metadata.Index);
        }
        if (index > LastIndex)
        {
            throw new LogUnavailableException(index, LastIndex);
        }
        _snapshot = new Snapshot(new SnapshotMetadata(index, Term(index), confState), data);
        return _snapshot;
    }

    /// <summary>
    /// Discards entries before <paramref name="compactIndex"/>, which becomes the dummy entry. Only
    /// entries covered by the held snapshot may be discarded.
    /// </summary>
    public void Compact(ulong compactIndex)
    {
        var offset = _entries[0].Index;
        if (compactIndex <= offset)
        {
            throw new LogCompactedException(compactIndex, FirstIndex);
        }
        if (compactIndex > LastIndex)
        {
            throw new LogUnavailableException(compactIndex, LastIndex);
        }
        // Entries past the snapshot are the only copy a lagging follower can catch up from.
        if (compactIndex > _snapshot.Metadata.Index)
        {
            throw new RaftInvariantException(
                $"compacting to {compactIndex} would discard entries after the snapshot at {_snapshot.Metadata.Index}");
        }
        var cut = (int)(compactIndex - offset);
        var dummy = _entries[cut] with { Data = ReadOnlyMemory<byte>.Empty, Type = EntryType.Normal };
        _entries.RemoveRange(0, cut);
        _entries[0] = dummy;
    }
}
