using Dst.Testing.Linearizability;

namespace Dst.Raft.Tests.Linearizability;

public sealed class LinearizabilityCheckerTests
{
    private static readonly KvModel Model = new();

    private static Operation<KvInput, ulong> Put(int client, string key, ulong value, long call, long ret) =>
        Operation<KvInput, ulong>.Completed(client, new KvInput(KvOperationKind.Put, key, value), call, 0, ret);

    private static Operation<KvInput, ulong> Get(int client, string key, ulong seen, long call, long ret) =>
        Operation<KvInput, ulong>.Completed(client, new KvInput(KvOperationKind.Get, key), call, seen, ret);

    private static Operation<KvInput, ulong> PutUnknown(int client, string key, ulong value, long call) =>
        Operation<KvInput, ulong>.Unknown(client, new KvInput(KvOperationKind.Put, key, value), call);

    [Fact]
    public void Sequential_history_is_linearizable()
    {
        var history = new[] { Put(0, "x", 1, 0, 10), Get(1, "x", 1, 20, 30), Put(0, "x", 2, 40, 50), Get(1, "x", 2, 60, 70) };
        Assert.True(LinearizabilityChecker.Check(Model, history).IsLinearizable);
    }

    [Fact]
    public void Read_overlapping_a_write_may_see_either_value()
    {
        var history = new[] { Put(0, "x", 1, 0, 10), Put(0, "x", 2, 20, 50), Get(1, "x", 1, 25, 30), Get(2, "x", 2, 26, 35) };
        Assert.True(LinearizabilityChecker.Check(Model, history).IsLinearizable);
    }

    [Fact]
    public void Stale_read_after_a_completed_write_is_not_linearizable()
    {
        var history = new[] { Put(0, "x", 1, 0, 10), Put(0, "x", 2, 20, 30), Get(1, "x", 1, 40, 50) };
        var result = LinearizabilityChecker.Check(Model, history);
        Assert.False(result.IsLinearizable);
        Assert.Equal("x", result.FailingPartition);
    }

    [Fact]
    public void Reads_that_go_back_in_time_are_not_linearizable()
    {
        // Both reads overlap the write, but once one read saw the new value a later read cannot see the old one.
        var history = new[] { Put(0, "x", 1, 0, 100), Get(1, "x", 1, 10, 20), Get(2, "x", 0, 30, 40) };
        Assert.False(LinearizabilityChecker.Check(Model, history).IsLinearizable);
    }

    [Fact]
    public void A_value_never_written_is_not_linearizable()
    {
        var history = new[] { Put(0, "x", 1, 0, 10), Get(1, "x", 7, 20, 30) };
        Assert.False(LinearizabilityChecker.Check(Model, history).IsLinearizable);
    }

    [Fact]
    public void Unknown_write_may_take_effect_late_or_never()
    {
        var took = new[] { PutUnknown(0, "x", 5, 0), Get(1, "x", 0, 10, 20), Get(1, "x", 5, 100, 110) };
        var never = new[] { PutUnknown(0, "x", 5, 0), Get(1, "x", 0, 10, 20), Get(1, "x", 0, 100, 110) };
        Assert.True(LinearizabilityChecker.Check(Model, took).IsLinearizable);
        Assert.True(LinearizabilityChecker.Check(Model, never).IsLinearizable);
    }

    [Fact]
    public void Unknown_write_cannot_take_effect_before_its_call()
    {
        var history = new[] { Get(1, "x", 5, 0, 10), PutUnknown(0, "x", 5, 20) };
        Assert.False(LinearizabilityChecker.Check(Model, history).IsLinearizable);
    }

    [Fact]
    public void Keys_are_checked_independently()
    {
        var history = new[]
        {
            Put(0, "x", 1, 0, 10), Put(1, "y", 2, 0, 10),
            Get(2, "x", 1, 20, 30), Get(2, "y", 0, 40, 50),
        };
        var result = LinearizabilityChecker.Check(Model, history);
        Assert.False(result.IsLinearizable);
        Assert.Equal("y", result.FailingPartition);
        Assert.Equal(2, result.OperationsInFailingPartition);
    }

    [Fact]
    public void Many_concurrent_writers_with_consistent_reads_are_linearizable()
    {
        // 12 overlapping writes then a read of one of them: the memo keeps the search small.
        var history = new List<Operation<KvInput, ulong>>();
        for (var i = 0; i < 12; i++)
        {
            history.Add(Put(i, "x", (ulong)(i + 1), i, 100 + i));
        }
        history.Add(Get(20, "x", 7, 200, 210));
        history.Add(Get(21, "x", 7, 220, 230));
        Assert.True(LinearizabilityChecker.Check(Model, history).IsLinearizable);
        history.Add(Get(22, "x", 3, 240, 250));
        Assert.False(LinearizabilityChecker.Check(Model, history).IsLinearizable);
    }

    [Fact]
    public void Operation_cannot_return_before_it_is_called()
    {
        Assert.Throws<ArgumentException>(() => Put(0, "x", 1, 10, 5));
    }
}
