namespace Dst.Storage;

/// <summary>
/// The term of every entry in the log, stored as runs: (first index, term) each time the term
/// changes. Raft terms never decrease along a log and change rarely, so this answers
/// <c>Term(index)</c> for any held entry from memory with a handful of runs.
/// </summary>
internal sealed class TermRuns
{
    private (ulong FirstIndex, ulong Term)[] _runs = new (ulong, ulong)[16];
    private int _start;
    private int _end;

    public int Count => _end - _start;

    /// <summary>Records that <paramref name="index"/> (the next index of the log) has <paramref name="term"/>.</summary>
    public void Append(ulong index, ulong term)
    {
        if (_end > _start && _runs[_end - 1].Term == term)
        {
            return;
        }
        if (_end == _runs.Length)
        {
            if (_start > 0)
            {
                Array.Copy(_runs, _start, _runs, 0, Count);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _runs, _runs.Length * 2);
            }
        }
        _runs[_end++] = (index, term);
    }

    /// <summary>The term of <paramref name="index"/>; the caller guarantees it is held.</summary>
    public ulong TermOf(ulong index)
    {
        int lo = _start, hi = _end - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >>> 1;
            if (_runs[mid].FirstIndex <= index)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return _runs[lo].Term;
    }

    /// <summary>Forgets the terms of entries from <paramref name="index"/> on.</summary>
    public void RemoveFrom(ulong index)
    {
        while (_end > _start && _runs[_end - 1].FirstIndex >= index)
        {
            _end--;
        }
    }

    /// <summary>Forgets the terms of entries before <paramref name="index"/>.</summary>
    public void RemoveBefore(ulong index)
    {
        while (Count > 1 && _runs[_start + 1].FirstIndex <= index)
        {
            _start++;
        }
        if (Count == 1 && _runs[_start].FirstIndex < index)
        {
            _runs[_start].FirstIndex = index;
        }
    }

    public void Clear()
    {
        _start = 0;
        _end = 0;
    }
}
