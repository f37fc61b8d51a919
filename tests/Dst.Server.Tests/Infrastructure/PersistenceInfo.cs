using System.Globalization;
using Dst.Client;

namespace Dst.Server.Tests.Infrastructure;

/// <summary>What INFO persistence says about snapshots and the log.</summary>
internal static class PersistenceInfo
{
    public static async Task<bool> SnapshotInProgressAsync(RespConnection redis) =>
        (await ReadAsync(redis)).Contains("rdb_bgsave_in_progress:1", StringComparison.Ordinal);

    /// <summary>The log index of the newest installed snapshot.</summary>
    public static async Task<long> SnapshotIndexAsync(RespConnection redis)
    {
        var line = (await ReadAsync(redis)).Split("\r\n").Single(line => line.StartsWith("dst_snapshot_index:", StringComparison.Ordinal));
        return long.Parse(line["dst_snapshot_index:".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>The index of the last entry in this node's log.</summary>
    public static async Task<long> LogLastIndexAsync(RespConnection redis)
    {
        var line = (await ReadAsync(redis)).Split("\r\n").Single(line => line.StartsWith("dst_log_last_index:", StringComparison.Ordinal));
        return long.Parse(line["dst_log_last_index:".Length..], CultureInfo.InvariantCulture);
    }

    private static async Task<string> ReadAsync(RespConnection redis) => (await redis.RunAsync("INFO", "persistence")).AsString();
}
