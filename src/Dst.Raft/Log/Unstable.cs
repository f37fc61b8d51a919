namespace Dst.Raft.Log;

/// <summary>
/// Entries (and possibly a snapshot) not yet persisted by the application. <see cref="Offset"/> is
/// the index of the first unstable entry; the entries are contiguous from there.
/// </summary>
internal sealed class Unstable(ulong offset)
{
    private readonly EntryBuffer _entries = new();

    public ulong Offset { get; private set; } = offset;

    public Snapshot? Snapshot { get; private set; }

    public EntryBuffer Entries => _entries;

    /// <summary>The first index of the log, if a pending snapshot decides it.</summary>
    public bool TryFirstIndex(out ulong index)
    {
        index = Snapshot is null ? 0 : Snapshot.Metadata.Index + 1;
        return Snapshot is not null;
    }

    /// <summary>The last index of the log, if unstable entries or a pending snapshot decide it.</summary>
    public bool TryLastIndex(out ulong index)
    {
        if (_entries.Count > 0)
        {
            index = Offset + (ulong)_entries.Count - 1;
            return true;
        }
        index = Snapshot is null ? 0 : Snapshot.Metadata.Index;
        return Snapshot is not null;
    }

    public bool TryTerm(ulong index, out ulong term)
    {
        if (index >= Offset)
        {
            var position = index - Offset;
            var held = (ulong)_entries.Count;
            term = position < held ? _entries.Span[(int)position].Term : 0;
            return position < held;
        }
        if (Snapshot is not null && Snapshot.Metadata.Index == index)
        {
            term = Snapshot.Metadata.Term;
            return true;
        }
        term = 0;
        return false;
    }

    /// <summary>Entries up to (index, term) are durable; drop them unless they were overwritten since.</summary>
    public void StableTo(ulong index, ulong term)
    {
        if (!TryTerm(index, out var held) || held != term || index < Offset)
        {
            return;
        }
        _entries.RemoveFirst((int)(index + 1 - Offset));
        Offset = index + 1;
    }

    public void StableSnapTo(ulong index)
    {
        if (Snapshot is not null && Snapshot.Metadata.Index == index)
        {
            Snapshot = null;
        }
    }

    public void Restore(Snapshot snapshot)
    {
        Offset = snapshot.Metadata.Index + 1;
        _entries.Clear();
        Snapshot = snapshot;
    }

    public void TruncateAndAppend(ReadOnlySpan<Entry> entries)
    {
        TruncateBefore(entries[0].Index);
        _entries.Append(entries);
    }

    public void TruncateAndAppend(in Entry entry)
    {
        TruncateBefore(entry.Index);
        _entries.Append(entry);
    }

    /// <summary>Makes <paramref name="first"/> the next index to append, dropping anything from it on.</summary>
    private void TruncateBefore(ulong first)
    {
        if (first == Offset + (ulong)_entries.Count)
        {
            // Directly after: plain append.
        }
        else if (first <= Offset)
        {
            // Replaces everything unstable (the stable log past `first` is shadowed from now on).
            Offset = first;
            _entries.Clear();
        }
        else
        {
            _entries.Truncate((int)(first - Offset));
        }
    }
}
