using Dst.Raft.ConfChange;

namespace Dst.Raft.Tests.Unit;

public sealed class RawNodeTests
{
    /// <summary>A one-voter group whose node has won its election and settled.</summary>
    private static (RawNode Node, MemoryStorage Storage) ElectedSingleNode(ulong maxUncommitted = 64 << 20)
    {
        var storage = MemoryStorage.Bootstrap(1);
        var node = new RawNode(new RaftConfig { Id = 1, Random = new SeededRandom(1), MaxUncommittedEntriesSize = maxUncommitted }, storage);
        node.Campaign();
        Drain(node, storage);
        return (node, storage);
    }

    /// <summary>Persists into <paramref name="storage"/> and advances until idle; returns applied payloads.</summary>
    private static List<string> Drain(RawNode node, MemoryStorage storage)
    {
        var applied = new List<string>();
        while (node.HasReady())
        {
            var ready = node.GetReady();
            storage.Append(ready.Entries);
            if (ready.HardState is { } hard)
            {
                storage.SetHardState(hard);
            }
            applied.AddRange(ready.CommittedEntries.Where(e => e.Data.Length > 0).Select(e => System.Text.Encoding.UTF8.GetString(e.Data.Span)));
            node.Advance();
        }
        return applied;
    }

    [Fact]
    public void Single_node_commits_only_after_its_own_entries_are_persisted()
    {
        var (node, storage) = ElectedSingleNode();
        Assert.Equal(StateRole.Leader, node.Raft.State);
        Assert.Equal(ProposalResult.Accepted, node.Propose("hello"u8.ToArray()));
        var ready = node.GetReady();
        Assert.Single(ready.Entries);
        Assert.Empty(ready.CommittedEntries); // not durable yet: the leader does not count itself
        Assert.True(ready.MustSync);
        storage.Append(ready.Entries);
        node.Advance();
        Assert.Equal(["hello"], Drain(node, storage));
    }

    [Fact]
    public void Proposals_without_a_leader_are_dropped()
    {
        var node = new RawNode(new RaftConfig { Id = 1, Random = new SeededRandom(1) }, MemoryStorage.Bootstrap(1, 2, 3));
        Assert.Equal(ProposalResult.DroppedNoLeader, node.Propose("x"u8.ToArray()));
    }

    [Fact]
    public void Uncommitted_size_cap_drops_proposals_until_entries_commit()
    {
        var (node, storage) = ElectedSingleNode(maxUncommitted: 10);
        Assert.Equal(ProposalResult.Accepted, node.Propose(new byte[8]));
        Assert.Equal(ProposalResult.DroppedUncommittedSizeCap, node.Propose(new byte[8]));
        Drain(node, storage);
        Assert.Equal(ProposalResult.Accepted, node.Propose(new byte[8]));
    }

    [Fact]
    public void Invalid_or_concurrent_conf_changes_are_refused_with_a_reason()
    {
        var (node, _) = ElectedSingleNode();
        Assert.Equal(ProposalResult.DroppedInvalidConfChange, node.ProposeConfChange(ConfChangeRequest.LeaveJoint));
        Assert.Equal(ProposalResult.DroppedInvalidConfChange, node.ProposeConfChange(ConfChangeRequest.Single(ConfChangeType.RemoveNode, 1)));
        Assert.Equal(ProposalResult.Accepted, node.ProposeConfChange(ConfChangeRequest.Single(ConfChangeType.AddLearnerNode, 2)));
        Assert.Equal(ProposalResult.DroppedConfChangePending, node.ProposeConfChange(ConfChangeRequest.Single(ConfChangeType.AddLearnerNode, 3)));
    }

    [Fact]
    public void Ready_must_be_advanced_before_the_next_one_and_local_messages_are_refused()
    {
        var node = new RawNode(new RaftConfig { Id = 1, Random = new SeededRandom(1) }, MemoryStorage.Bootstrap(1));
        node.Campaign();
        node.GetReady();
        Assert.Throws<InvalidOperationException>(() => node.GetReady());
        node.Advance();
        Assert.Throws<InvalidOperationException>(() => node.Advance());
        Assert.Throws<ArgumentException>(() => node.Step(new Message { Type = MessageType.Hup, From = 2 }));
    }

    [Fact]
    public void Configuration_is_validated()
    {
        var storage = MemoryStorage.Bootstrap(1);
        Assert.Throws<ArgumentException>(() => new RawNode(new RaftConfig { Id = 0, Random = new SeededRandom(1) }, storage));
        Assert.Throws<ArgumentException>(() => new RawNode(new RaftConfig { Id = 1, ElectionTick = 1, Random = new SeededRandom(1) }, storage));
        Assert.Throws<ArgumentException>(() => new RawNode(
            new RaftConfig { Id = 1, CheckQuorum = false, ReadOnlyOption = ReadOnlyOption.LeaseBased, Random = new SeededRandom(1) }, storage));
    }

    [Fact]
    public void Restart_with_a_hard_state_commit_beyond_the_log_is_refused()
    {
        var storage = MemoryStorage.Bootstrap(1);
        storage.SetHardState(new HardState(1, 0, 5));
        Assert.Throws<RaftInvariantException>(() => new RawNode(new RaftConfig { Id = 1, Random = new SeededRandom(1) }, storage));
    }

    [Fact]
    public void Memory_storage_compaction_keeps_the_snapshot_term_and_refuses_gaps()
    {
        var storage = MemoryStorage.Bootstrap(1);
        storage.Append([new Entry(2, 2, EntryType.Normal, default), new Entry(2, 3, EntryType.Normal, default)]);
        storage.CreateSnapshot(3, ConfState.Of([1]), default);
        storage.Compact(3);
        Assert.Equal(4UL, storage.FirstIndex);
        Assert.Equal(2UL, storage.Term(3));
        Assert.Throws<LogCompactedException>(() => storage.Term(2));
        Assert.Throws<RaftInvariantException>(() => storage.Append([new Entry(2, 9, EntryType.Normal, default)]));
        Assert.Throws<LogUnavailableException>(() => storage.Term(4));
    }
}
