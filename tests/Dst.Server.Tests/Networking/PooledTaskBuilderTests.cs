using System.Runtime.CompilerServices;
using Dst.Server.Networking;

namespace Dst.Server.Tests.Networking;

public sealed class PooledTaskBuilderTests
{
    [Fact]
    public async Task A_call_that_never_suspends_completes_at_once()
    {
        var task = AddAsync(null, 1);
        Assert.True(task.IsCompletedSuccessfully);
        await task;
    }

    [Fact]
    public async Task Many_calls_suspended_at_once_each_resume_with_their_own_state()
    {
        // More calls in flight than a thread pools boxes, twice over, so boxes are made, recycled and reused.
        var results = new List<int>();
        for (var round = 0; round < 2; round++)
        {
            var gates = Enumerable.Range(0, 600).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            var calls = gates.Select((gate, i) => AddAsync(gate.Task, i).AsTask()).ToArray();
            Assert.All(calls, call => Assert.False(call.IsCompleted));
            foreach (var gate in gates.Reverse())
            {
                gate.SetResult();
            }
            await Task.WhenAll(calls);
            results.AddRange(s_sums.Order());
            s_sums.Clear();
        }
        Assert.Equal(Enumerable.Range(0, 600).Select(i => i + 1).Concat(Enumerable.Range(0, 600).Select(i => i + 1)), results);
    }

    [Fact]
    public async Task Exceptions_reach_the_awaiter_whether_thrown_before_or_after_suspending()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await FailAsync(null));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failing = FailAsync(gate.Task);
        gate.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await failing);
    }

    private static readonly List<int> s_sums = [];

    [AsyncMethodBuilder(typeof(PooledTaskBuilder))]
    private static async ValueTask AddAsync(Task? gate, int value)
    {
        var sum = value;
        if (gate is not null)
        {
            await gate;
            sum++;
            lock (s_sums)
            {
                s_sums.Add(sum);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PooledTaskBuilder))]
    private static async ValueTask FailAsync(Task? gate)
    {
        if (gate is not null)
        {
            await gate;
        }
        throw new InvalidOperationException("failed");
    }
}
