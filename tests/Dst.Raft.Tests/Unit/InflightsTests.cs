using Dst.Raft.Tracker;

namespace Dst.Raft.Tests.Unit;

public sealed class InflightsTests
{
    [Fact]
    public void Full_by_count_and_freed_in_order_across_the_ring_wrap()
    {
        var inflights = new Inflights(3, 0);
        inflights.Add(1, 10);
        inflights.Add(2, 10);
        inflights.Add(3, 10);
        Assert.True(inflights.Full);
        inflights.FreeLE(2);
        Assert.Equal(1, inflights.Count);
        inflights.Add(4, 10);
        inflights.Add(5, 10);
        Assert.True(inflights.Full);
        inflights.FreeLE(4);
        Assert.Equal(1, inflights.Count);
        Assert.Equal(10UL, inflights.Bytes);
    }

    [Fact]
    public void Full_by_bytes()
    {
        var inflights = new Inflights(100, 25);
        inflights.Add(1, 10);
        Assert.False(inflights.Full);
        inflights.Add(2, 15);
        Assert.True(inflights.Full);
        inflights.FreeLE(1);
        Assert.False(inflights.Full);
    }

    [Fact]
    public void Free_first_one_frees_only_the_oldest()
    {
        var inflights = new Inflights(2, 0);
        inflights.FreeFirstOne();
        inflights.Add(3, 7);
        inflights.Add(5, 11);
        Assert.True(inflights.Full);
        inflights.FreeFirstOne();
        Assert.Equal(1, inflights.Count);
        Assert.Equal(11UL, inflights.Bytes);
        inflights.Add(6, 1);
        Assert.True(inflights.Full);
    }

    [Fact]
    public void Adding_beyond_capacity_or_out_of_order_is_an_invariant_violation()
    {
        var inflights = new Inflights(1, 0);
        inflights.Add(5, 1);
        Assert.Throws<RaftInvariantException>(() => inflights.Add(6, 1));
        inflights.FreeLE(5);
        inflights.Add(6, 1);
        var ordered = new Inflights(4, 0);
        ordered.Add(6, 1);
        Assert.Throws<RaftInvariantException>(() => ordered.Add(6, 1));
    }

    [Fact]
    public void Probe_sends_one_append_then_waits_and_replicate_pipelines()
    {
        var progress = new Progress(next: 5, maxInflight: 2, maxInflightBytes: 0, isLearner: false);
        Assert.False(progress.IsPaused);
        progress.SentEntries(1, 5, 1);
        Assert.True(progress.IsPaused);
        Assert.True(progress.MaybeUpdate(5));
        progress.BecomeReplicate();
        Assert.Equal(6UL, progress.Next);
        progress.SentEntries(2, 7, 2);
        progress.SentEntries(1, 8, 1);
        Assert.Equal(9UL, progress.Next);
        Assert.True(progress.IsPaused);
        Assert.False(progress.MaybeUpdate(4));
        Assert.True(progress.MaybeUpdate(7));
        progress.Inflights.FreeLE(7);
        Assert.False(progress.IsPaused);
    }

    [Fact]
    public void Rejection_backs_off_to_the_hint_but_not_below_the_match()
    {
        var progress = new Progress(next: 11, maxInflight: 4, maxInflightBytes: 0, isLearner: false) { Match = 3 };
        Assert.False(progress.MaybeDecrTo(rejected: 9, hint: 2));  // stale: not the probe just sent
        Assert.True(progress.MaybeDecrTo(rejected: 10, hint: 6));
        Assert.Equal(7UL, progress.Next);
        progress.Next = 7;
        Assert.True(progress.MaybeDecrTo(rejected: 6, hint: 0));
        Assert.Equal(4UL, progress.Next);
    }
}
