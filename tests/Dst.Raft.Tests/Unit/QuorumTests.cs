using Dst.Raft.Quorum;

namespace Dst.Raft.Tests.Unit;

public sealed class QuorumTests
{
    private sealed class Acked(Dictionary<ulong, ulong> indexes) : IAckedIndexer
    {
        public bool TryGetAckedIndex(ulong voterId, out ulong index) => indexes.TryGetValue(voterId, out index);
    }

    [Theory]
    [InlineData(new ulong[] { 5 }, 5UL)]
    [InlineData(new ulong[] { 5, 3, 9 }, 5UL)]
    [InlineData(new ulong[] { 5, 3, 9, 1 }, 3UL)]
    [InlineData(new ulong[] { 2, 2, 8, 8, 8 }, 8UL)]
    public void Majority_commits_what_a_majority_acknowledged(ulong[] matches, ulong expected)
    {
        var ids = Enumerable.Range(1, matches.Length).Select(i => (ulong)i).ToArray();
        var config = new MajorityConfig(ids);
        var acked = new Acked(ids.Zip(matches).ToDictionary(p => p.First, p => p.Second));
        Assert.Equal(expected, config.CommittedIndex(acked));
    }

    [Fact]
    public void Missing_voter_counts_as_zero_and_empty_config_never_constrains()
    {
        var acked = new Acked(new() { [1] = 7, [2] = 7 });
        Assert.Equal(7UL, new MajorityConfig([1, 2, 3]).CommittedIndex(acked));
        Assert.Equal(0UL, new MajorityConfig([1, 3, 4]).CommittedIndex(acked));
        Assert.Equal(ulong.MaxValue, MajorityConfig.Empty.CommittedIndex(acked));
    }

    [Fact]
    public void Joint_config_commits_the_minimum_of_both_majorities()
    {
        var acked = new Acked(new() { [1] = 10, [2] = 10, [3] = 2, [4] = 2, [5] = 2 });
        var joint = new JointConfig(new MajorityConfig([1, 2, 3]), new MajorityConfig([3, 4, 5]));
        Assert.Equal(2UL, joint.CommittedIndex(acked));
    }

    [Fact]
    public void Votes_are_won_lost_or_pending()
    {
        var config = new MajorityConfig([1, 2, 3]);
        Assert.Equal(VoteResult.Pending, config.Tally(new Dictionary<ulong, bool> { [1] = true }));
        Assert.Equal(VoteResult.Won, config.Tally(new Dictionary<ulong, bool> { [1] = true, [3] = true }));
        Assert.Equal(VoteResult.Lost, config.Tally(new Dictionary<ulong, bool> { [1] = true, [2] = false, [3] = false }));
    }

    [Fact]
    public void Joint_vote_needs_both_majorities()
    {
        var joint = new JointConfig(new MajorityConfig([1, 2, 3]), new MajorityConfig([4, 5, 6]));
        var votes = new Dictionary<ulong, bool> { [1] = true, [2] = true, [4] = true };
        Assert.Equal(VoteResult.Pending, joint.Tally(votes));
        votes[5] = true;
        Assert.Equal(VoteResult.Won, joint.Tally(votes));
        votes[5] = false;
        votes[6] = false;
        Assert.Equal(VoteResult.Lost, joint.Tally(votes));
    }
}
