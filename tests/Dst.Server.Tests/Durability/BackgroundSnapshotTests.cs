using Dst.Client;
using Dst.Protocol;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Durability;

/// <summary>
/// A snapshot is written in the background: while SAVE's snapshot of a large keyspace is in
/// progress, other clients' writes keep being acknowledged; after SIGKILL and restart every
/// acknowledged write is there, recovered from that snapshot and the log after it.
/// </summary>
public sealed class BackgroundSnapshotTests
{
    private const int LoadedKeys = 300_000;
    private const int KeysPerMset = 1000;
    private const int WritesDuringSnapshot = 200;
    private static readonly string Value = new('v', 100);

    [Fact]
    public async Task Writes_are_acknowledged_while_a_snapshot_is_written_and_all_survive_sigkill()
    {
        await using var server = await ServerProcess.StartAsync("--snapshot-every-entries", "0");
        await using var writer = await server.ConnectAsync();
        await using var saver = await server.ConnectAsync();
        await using var observer = await server.ConnectAsync();
        await LoadAsync(writer);

        var writtenDuringSnapshot = new List<string>();
        for (var attempt = 1; writtenDuringSnapshot.Count == 0; attempt++)
        {
            Assert.True(attempt <= 5, "SAVE finished every time before it could be seen in progress");
            await saver.SendAsync(["SAVE"]);
            var save = saver.NextReplyAsync();
            await Eventually.UntilAsync(async () => save.IsCompleted || await PersistenceInfo.SnapshotInProgressAsync(observer), "SAVE's snapshot starts");
            if (save.IsCompleted)
            {
                RespAssert.Ok(await save);
                continue;
            }
            // The snapshot is in progress: a pipeline of writes must be acknowledged before it ends.
            var keys = Enumerable.Range(0, WritesDuringSnapshot).Select(i => $"during:{attempt}:{i}").ToArray();
            using (var deadline = new CancellationTokenSource(RawConnection.ReplyTimeout))
            {
                var replies = await writer.ExecuteManyAsync(keys.Select(key => new[] { "SET", key, key }), deadline.Token);
                Assert.All(replies, RespAssert.Ok);
            }
            if (!save.IsCompleted && await PersistenceInfo.SnapshotInProgressAsync(observer))
            {
                writtenDuringSnapshot.AddRange(keys);
            }
            RespAssert.Ok(await save);
        }
        Assert.False(await PersistenceInfo.SnapshotInProgressAsync(observer));
        Assert.True(await PersistenceInfo.SnapshotIndexAsync(observer) > 1, "SAVE answered before its snapshot was installed");

        await server.KillAsync();
        await server.RestartAsync();
        await using var restarted = await server.ConnectAsync();
        RespAssert.Integer(LoadedKeys + writtenDuringSnapshot.Count, await restarted.RunAsync("DBSIZE"));
        var values = (await restarted.RunAsync(["MGET", .. writtenDuringSnapshot])).AsList();
        Assert.Equal(writtenDuringSnapshot, values.Select(value => value.AsString()));
        RespAssert.Bulk(Value, await restarted.RunAsync("GET", $"loaded:{LoadedKeys - 1}"));
        Assert.True(await PersistenceInfo.SnapshotIndexAsync(restarted) > 1, "the restarted node did not find the snapshot");
    }

    private static async Task LoadAsync(RespConnection redis)
    {
        var commands = Enumerable.Range(0, LoadedKeys / KeysPerMset).Select(batch =>
            new[] { "MSET" }.Concat(Enumerable.Range(batch * KeysPerMset, KeysPerMset).SelectMany(i => new[] { $"loaded:{i}", Value })).ToArray());
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        foreach (var chunk in commands.Chunk(20))
        {
            Assert.All(await redis.ExecuteManyAsync(chunk, deadline.Token), RespAssert.Ok);
        }
    }
}
