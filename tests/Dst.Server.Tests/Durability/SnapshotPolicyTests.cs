using Dst.Client;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Durability;

/// <summary>
/// The automatic snapshot waits until the log since the last snapshot is as large as that snapshot
/// (as Redis rewrites its AOF at 100% growth): small writes after a large snapshot do not trigger
/// one however many entries pass <c>snapshot-every-entries</c>; writes adding up to its size do.
/// </summary>
public sealed class SnapshotPolicyTests
{
    private const int LargeKeys = 200;
    private static readonly string LargeValue = new('v', 1000);

    [Fact]
    public async Task A_snapshot_waits_until_the_log_since_it_is_as_large_as_it()
    {
        await using var server = await ServerProcess.StartAsync("--snapshot-every-entries", "10", "--snapshot-min-log-size", "0");
        await using var redis = await server.ConnectAsync();
        await WriteAsync(redis, "large", LargeKeys, LargeValue);
        RespAssert.Ok(await redis.RunAsync("SAVE"));
        var saved = await PersistenceInfo.SnapshotIndexAsync(redis);

        // 60 entries of ~40 bytes (one round trip each, so no two share an entry): six times
        // snapshot-every-entries, far below the ~200 KB snapshot.
        for (var i = 0; i < 60; i++)
        {
            RespAssert.Ok(await redis.RunAsync("SET", $"small:{i}", "x"));
        }
        await redis.RunAsync("SET", "small:last", "x"); // acknowledged after the rounds above decided
        Assert.False(await PersistenceInfo.SnapshotInProgressAsync(redis));
        Assert.Equal(saved, await PersistenceInfo.SnapshotIndexAsync(redis));

        // Rewriting every large value twice adds more than a snapshot's worth of log (pipelined writes
        // share entries, so the log holds their bytes with fewer record headers than the snapshot's keys).
        await WriteAsync(redis, "large", LargeKeys, LargeValue);
        await WriteAsync(redis, "large", LargeKeys, LargeValue);
        await Eventually.UntilAsync(async () => await PersistenceInfo.SnapshotIndexAsync(redis) > saved, "a snapshot after the log grew as large as the last one");
    }

    private static async Task WriteAsync(RespConnection redis, string prefix, int count, string value)
    {
        using var deadline = new CancellationTokenSource(RawConnection.ReplyTimeout);
        var replies = await redis.ExecuteManyAsync(Enumerable.Range(0, count).Select(i => new[] { "SET", $"{prefix}:{i}", value }), deadline.Token);
        Assert.All(replies, RespAssert.Ok);
    }
}
