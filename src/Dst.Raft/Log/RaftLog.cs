using System.Runtime.InteropServices;

namespace Dst.Raft.Log;

/// <summary>
/// A node's log: the persisted part in <see cref="IRaftStorage"/> followed by the unstable part the
/// application has not persisted yet, plus the commit and applied indexes.
/// Invariant: Applied &lt;= Committed &lt;= LastIndex, and committed entries never change.
/// </summary>
public sealed class RaftLog
{
    private readonly IRaftStorage _storage;
    private readonly Unstable _unstable;

    public RaftLog(IRaftStorage storage)
    {
        _storage = storage;
        _unstable = new Unstable(storage.LastIndex + 1);
        Committed = storage.FirstIndex - 1;
        Applied = storage.FirstIndex - 1;
    }

    public ulong Committed { get; private set; }

    public ulong Applied { get; private set; }

    public ulong FirstIndex => _unstable.TryFirstIndex(out var first) ? first : _storage.FirstIndex;

    public ulong LastIndex => _unstable.TryLastIndex(out var last) ? last : _storage.LastIndex;

    public ulong LastTerm => TryTerm(LastIndex, out var term)
        ? term
        : throw new RaftInvariantException($"no term for the last index {LastIndex}");

    /// <summary>The last index known to be durable (what a leader may count itself as holding).</summary>
    public ulong StableLastIndex => _unstable.Snapshot is not null ? 0 : _unstable.Offset - 1;

    /// <summary>Entries the application must persist next.</summary>
    public IReadOnlyList<Entry> UnstableEntries => _unstable.Entries;

    /// <summary>The same entries as <see cref="UnstableEntries"/>, valid until the log changes.</summary>
    internal ReadOnlySpan<Entry> UnstableSpan => _unstable.Entries.Span;

    public Snapshot? UnstableSnapshot => _unstable.Snapshot;

    public Snapshot Snapshot() => _unstable.Snapshot ?? _storage.Snapshot();

    public bool TryTerm(ulong index, out ulong term)
    {
        // Valid range: [FirstIndex - 1, LastIndex]; FirstIndex - 1 is the snapshot's (dummy) index.
        term = 0;
        if (index + 1 < FirstIndex || index > LastIndex)
        {
            return false;
        }
        if (_unstable.TryTerm(index, out term))
        {
            return true;
        }
        try
        {
            term = _storage.Term(index);
            return true;
        }
        catch (LogCompactedException)
        {
            return false;
        }
    }

    /// <summary>The term at <paramref name="index"/>, or 0 when it is compacted or beyond the log.</summary>
    public ulong TermOrZero(ulong index) => TryTerm(index, out var term) ? term : 0;

    public bool MatchTerm(ulong index, ulong term) => TryTerm(index, out var held) && held == term;

    /// <summary>Election restriction (§5.4.1): a candidate's log is at least as up to date as ours.</summary>
    public bool IsUpToDate(ulong lastIndex, ulong term) =>
        term > LastTerm || (term == LastTerm && lastIndex >= LastIndex);

    /// <summary>
    /// A follower receiving an append whose previous entry is (index, logTerm): on a match, appends
    /// what is new (truncating a conflicting suffix) and advances the commit index.
    /// </summary>
    public bool TryAppend(ulong index, ulong logTerm, ulong leaderCommit, ReadOnlySpan<Entry> entries, out ulong lastNewIndex)
    {
        lastNewIndex = 0;
        if (!MatchTerm(index, logTerm))
        {
            return false;
        }
        lastNewIndex = index + (ulong)entries.Length;
        var conflict = FindConflict(entries);
        if (conflict != 0)
        {
            if (conflict <= Committed)
            {
                throw new RaftInvariantException($"entry {conflict} conflicts with committed entry (committed {Committed})");
            }
            Append(entries[(int)(conflict - (index + 1))..]);
        }
        CommitTo(Math.Min(leaderCommit, lastNewIndex));
        return true;
    }

    public ulong Append(ReadOnlySpan<Entry> entries)
    {
        if (entries.Length == 0)
        {
            return LastIndex;
        }
        if (entries[0].Index - 1 < Committed)
        {
            throw new RaftInvariantException($"appending at {entries[0].Index} would overwrite committed entries (committed {Committed})");
        }
        _unstable.TruncateAndAppend(entries);
        return LastIndex;
    }

    /// <summary>Appends one entry (the leader's proposal path: no span, no copy of a batch).</summary>
    public void Append(in Entry entry)
    {
        if (entry.Index - 1 < Committed)
        {
            throw new RaftInvariantException($"appending at {entry.Index} would overwrite committed entries (committed {Committed})");
        }
        _unstable.TruncateAndAppend(entry);
    }

    /// <summary>The first entry whose term differs from ours (or that we lack); 0 if all match.</summary>
    private ulong FindConflict(ReadOnlySpan<Entry> entries)
    {
        foreach (var entry in entries)
        {
            if (!MatchTerm(entry.Index, entry.Term))
            {
                return entry.Index;
            }
        }
        return 0;
    }

    /// <summary>
    /// Fast backtracking: the largest index at or below <paramref name="index"/> whose term is at most
    /// <paramref name="term"/>, with that term. Entries above it cannot match a log whose entry at
    /// <paramref name="index"/> has <paramref name="term"/>.
    /// </summary>
    public (ulong Index, ulong Term) FindConflictByTerm(ulong index, ulong term)
    {
        for (; index > 0; index--)
        {
            if (!TryTerm(index, out var ours))
            {
                return (index, 0);
            }
            if (ours <= term)
            {
                return (index, ours);
            }
        }
        return (0, 0);
    }

    public void CommitTo(ulong index)
    {
        if (index <= Committed)
        {
            return;
        }
        if (index > LastIndex)
        {
            throw new RaftInvariantException($"commit index {index} is beyond the last index {LastIndex}");
        }
        Committed = index;
    }

    /// <summary>Commits up to <paramref name="index"/> only if that entry is from <paramref name="term"/> (§5.4.2).</summary>
    public bool MaybeCommit(ulong index, ulong term)
    {
        if (index > Committed && TermOrZero(index) == term)
        {
            CommitTo(index);
            return true;
        }
        return false;
    }

    public void AppliedTo(ulong index)
    {
        if (index == 0)
        {
            return;
        }
        if (index > Committed || index < Applied)
        {
            throw new RaftInvariantException($"applied index {index} out of range [{Applied}, {Committed}]");
        }
        Applied = index;
    }

    public void StableTo(ulong index, ulong term) => _unstable.StableTo(index, term);

    public void StableSnapTo(ulong index) => _unstable.StableSnapTo(index);

    public bool HasNextCommittedEntries => Committed > Math.Max(Applied, FirstIndex - 1);

    /// <summary>Committed entries not yet applied, up to <paramref name="maxBytes"/> (at least one).</summary>
    public void NextCommittedEntries(ulong maxBytes, List<Entry> destination)
    {
        var from = Math.Max(Applied + 1, FirstIndex);
        if (Committed + 1 > from)
        {
            Slice(from, Committed + 1, maxBytes, destination);
        }
    }

    /// <summary>Entries in [lo, hi) up to <paramref name="maxBytes"/> (always at least one). Throws <see cref="LogCompactedException"/> below the first index.</summary>
    public void Slice(ulong lo, ulong hi, ulong maxBytes, List<Entry> destination)
    {
        if (lo < FirstIndex)
        {
            throw new LogCompactedException(lo, FirstIndex);
        }
        if (hi > LastIndex + 1 || lo > hi)
        {
            throw new RaftInvariantException($"slice [{lo}, {hi}) out of bounds [{FirstIndex}, {LastIndex}]");
        }
        var start = destination.Count;
        var offset = _unstable.Offset;
        if (lo < offset)
        {
            var stableHi = Math.Min(hi, offset);
            _storage.Entries(lo, stableHi, maxBytes, destination);
            if ((ulong)(destination.Count - start) < stableHi - lo)
            {
                return;
            }
        }
        if (hi > offset)
        {
            ulong size = 0;
            foreach (var entry in CollectionsMarshal.AsSpan(destination)[start..])
            {
                size += (ulong)entry.PayloadSize;
            }
            var unstable = UnstableRange(Math.Max(lo, offset), hi);
            var count = CountWithin(unstable, maxBytes, size, destination.Count > start);
            destination.AddRange(unstable[..count]);
        }
    }

    /// <summary>
    /// Entries in [lo, hi) up to <paramref name="maxBytes"/> (at least one) in an array of their own
    /// (from <paramref name="pool"/> when given), which the caller hands out in an append message.
    /// Copied once, straight from the unstable tail when the range lies there; otherwise gathered in
    /// <paramref name="scratch"/> first. Throws <see cref="LogCompactedException"/> below the first index.
    /// </summary>
    public Entry[] SliceToArray(ulong lo, ulong hi, ulong maxBytes, List<Entry> scratch, EntryArrayPool? pool)
    {
        ReadOnlySpan<Entry> entries;
        if (lo >= _unstable.Offset && lo >= FirstIndex && hi <= LastIndex + 1 && lo < hi)
        {
            var unstable = UnstableRange(lo, hi);
            entries = unstable[..CountWithin(unstable, maxBytes, 0, false)];
        }
        else
        {
            scratch.Clear();
            Slice(lo, hi, maxBytes, scratch);
            entries = CollectionsMarshal.AsSpan(scratch);
        }
        var array = pool?.Rent(entries.Length) ?? entries.ToArray();
        if (pool is not null)
        {
            entries.CopyTo(array);
        }
        scratch.Clear();
        return array;
    }

    private ReadOnlySpan<Entry> UnstableRange(ulong lo, ulong hi)
    {
        var offset = _unstable.Offset;
        return _unstable.Entries.Span[(int)(lo - offset)..(int)(hi - offset)];
    }

    /// <summary>How many leading entries fit in <paramref name="maxBytes"/> after <paramref name="used"/> bytes (at least one unless <paramref name="haveSome"/>).</summary>
    private static int CountWithin(ReadOnlySpan<Entry> entries, ulong maxBytes, ulong used, bool haveSome)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            used += (ulong)entries[i].PayloadSize;
            if ((haveSome || i > 0) && used > maxBytes)
            {
                return i;
            }
        }
        return entries.Length;
    }

    /// <summary>Replaces the log with a snapshot received from the leader.</summary>
    public void Restore(Snapshot snapshot)
    {
        Committed = snapshot.Metadata.Index;
        _unstable.Restore(snapshot);
    }
}
