namespace Dst.Raft.Log;

/// <summary>
/// Entries (and possibly a snapshot) not yet persisted by the application. <see cref="Offset"/> is
/// the index of the first unstable entry; the entries are contiguous from there.
/// </summary>
internal sealed class Unstable(ulong offset)
{
    private readonly List<Entry> _entries = [];

    public ulong Offset { get; private set; } = offset;

    public Snapshot? Snapshot { get; private set; }

    public List<Entry> Entries => _entries;

    public ulong? MaybeFirstIndex => Snapshot is null ? null : Snapshot.Metadata.Index + 1;

    public ulong? MaybeLastIndex => _entries.Count > 0
        ? Offset + (ulong)_entries.Count - 1
        : Snapshot?.Metadata.Index;

    public bool TryTerm(ulong index, out ulong term)
    {
        term = 0;
        if (index < Offset)
        {
            if (Snapshot is not null && Snapshot.Metadata.Index == index)
            {
                term = Snapshot.Metadata.Term;
                return true;
            }
            return false;
        }
        if (MaybeLastIndex is not { } last || index > last)
        {
            return false;
        }
        if (_entries.Count == 0)
        {
            // index == last == snapshot index, which is below Offset: handled above.
            return false;
        }
        term = _entries[(int)(index - Offset)].Term;
        return true;
    }

    /// <summary>Entries up to (index, term) are durable; drop them unless they were overwritten since.</summary>
    public void StableTo(ulong index, ulong term)
    {
        if (!TryTerm(index, out var held) || held != term || index < Offset)
        {
            return;
        }
        var count = (int)(index + 1 - Offset);
        _entries.RemoveRange(0, count);
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
        var first = entries[0].Index;
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
            _entries.RemoveRange((int)(first - Offset), _entries.Count - (int)(first - Offset));
        }
        foreach (var entry in entries)
        {
            _entries.Add(entry);
        }
    }
}
