using Dst.Testing.History;
using Dst.Testing.Linearizability;

namespace Dst.Testing.Tests;

public sealed class HistoryRecorderTests
{
    private static readonly RedisKvInput Write = new(RedisKvCommand.Set, "k", "1");

    [Fact]
    public void Outcomes_map_to_operations_for_the_checker()
    {
        var recorder = new HistoryRecorder<RedisKvInput, RedisKvReply>();
        var ok = recorder.Invoke(0, Write);
        var failed = recorder.Invoke(1, Write);
        var unknown = recorder.Invoke(2, Write);
        recorder.Invoke(3, Write); // never finished: a client that died mid-call
        recorder.Ok(ok, RedisKvReply.Ok);
        recorder.Fail(failed);
        recorder.Unknown(unknown);

        var operations = recorder.Operations();
        Assert.Equal([0, 2, 3], operations.Select(op => op.ClientId));
        Assert.True(operations[0].OutcomeKnown);
        Assert.Equal(RedisKvReply.Ok, operations[0].Output);
        Assert.True(operations[0].Return >= operations[0].Call);
        Assert.False(operations[1].OutcomeKnown);
        Assert.False(operations[2].OutcomeKnown);
        Assert.Equal((1, 1, 2), (recorder.OkCount, recorder.FailCount, recorder.UnknownCount));
    }

    [Fact]
    public void Invocations_and_completions_follow_one_monotonic_clock()
    {
        var recorder = new HistoryRecorder<RedisKvInput, RedisKvReply>();
        var first = recorder.Invoke(0, Write);
        recorder.Ok(first, RedisKvReply.Ok);
        var second = recorder.Invoke(0, Write);
        recorder.Ok(second, RedisKvReply.Ok);
        var operations = recorder.Operations();
        Assert.True(operations[1].Call >= operations[0].Return);
    }

    [Fact]
    public void An_operation_finishes_once()
    {
        var recorder = new HistoryRecorder<RedisKvInput, RedisKvReply>();
        var op = recorder.Invoke(0, Write);
        recorder.Ok(op, RedisKvReply.Ok);
        Assert.Throws<InvalidOperationException>(() => recorder.Unknown(op));
    }
}
