using Dst.Raft.Log;

namespace Dst.Raft.Tests.Unit;

public sealed class RaftLogTests
{
    private static Entry E(ulong term, ulong index) => new(term, index, EntryType.Normal, new byte[] { (byte)index });

    private static RaftLog LogWith(params Entry[] entries)
    {
        var storage = new MemoryStorage();
        storage.Append(entries);
        return new RaftLog(storage);
    }

    [Fact]
    public void Append_truncates_a_conflicting_uncommitted_suffix()
    {
        var log = LogWith(E(1, 1), E(1, 2), E(2, 3), E(2, 4));
        Assert.True(log.TryAppend(2, 1, leaderCommit: 2, [E(3, 3), E(3, 4), E(3, 5)], out var last));
        Assert.Equal(5UL, last);
        Assert.Equal(3UL, log.TermOrZero(3));
        Assert.Equal(3UL, log.TermOrZero(5));
        Assert.Equal(2UL, log.Committed);
    }

    [Fact]
    public void Append_with_mismatching_previous_entry_is_rejected()
    {
        var log = LogWith(E(1, 1), E(1, 2));
        Assert.False(log.TryAppend(2, 2, 0, [E(2, 3)], out _));
        Assert.False(log.TryAppend(5, 1, 0, [E(2, 6)], out _));
        Assert.Equal(2UL, log.LastIndex);
    }

    [Fact]
    public void Matching_entries_already_present_are_not_rewritten_and_commit_is_capped()
    {
        var log = LogWith(E(1, 1), E(1, 2), E(1, 3));
        Assert.True(log.TryAppend(1, 1, leaderCommit: 10, [E(1, 2)], out var last));
        Assert.Equal(2UL, last);
        Assert.Equal(3UL, log.LastIndex);
        Assert.Equal(2UL, log.Committed); // commit never passes what this append proved matching
    }

    [Fact]
    public void Overwriting_a_committed_entry_is_an_invariant_violation()
    {
        var log = LogWith(E(1, 1), E(1, 2), E(1, 3));
        log.CommitTo(3);
        Assert.Throws<RaftInvariantException>(() => log.TryAppend(1, 1, 3, [E(2, 2)], out _));
        Assert.Throws<RaftInvariantException>(() => log.CommitTo(9));
    }

    [Fact]
    public void Conflict_by_term_skips_a_whole_term()
    {
        var log = LogWith(E(1, 1), E(1, 2), E(4, 3), E(4, 4), E(4, 5), E(5, 6));
        Assert.Equal((2UL, 1UL), log.FindConflictByTerm(6, 3));
        Assert.Equal((5UL, 4UL), log.FindConflictByTerm(6, 4));
        Assert.Equal((0UL, 0UL), log.FindConflictByTerm(6, 0));
    }

    [Fact]
    public void Commit_requires_an_entry_of_the_current_term()
    {
        var log = LogWith(E(1, 1), E(2, 2), E(3, 3));
        Assert.False(log.MaybeCommit(2, 3));
        Assert.Equal(0UL, log.Committed);
        Assert.True(log.MaybeCommit(3, 3));
        Assert.Equal(3UL, log.Committed);
    }

    [Fact]
    public void Slice_respects_the_size_limit_but_returns_at_least_one_entry()
    {
        var log = LogWith(E(1, 1), E(1, 2));
        log.Append([E(1, 3), E(1, 4)]);
        var into = new List<Entry>();
        log.Slice(1, 5, maxBytes: 3, into);
        Assert.Equal([1UL, 2UL, 3UL], into.Select(e => e.Index));
        into.Clear();
        log.Slice(2, 5, maxBytes: 0, into);
        Assert.Single(into);
    }

    [Fact]
    public void Stable_to_ignores_entries_overwritten_since_the_ready()
    {
        var log = LogWith(E(1, 1));
        log.Append([E(1, 2), E(1, 3)]);
        log.Append([E(2, 3)]);
        log.StableTo(3, 1); // the term-1 entry at 3 is gone: nothing becomes stable from this report
        Assert.Equal(2, log.UnstableEntries.Count);
        log.StableTo(3, 2);
        Assert.Empty(log.UnstableEntries);
    }
}
