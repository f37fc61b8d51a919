using System.Diagnostics;
using Dst.Commands;
using Dst.Raft;
using Dst.Server.Logging;
using Dst.Storage;

namespace Dst.Server.Pipeline;

/// <summary>What start-up recovery produced: the open log and the state machine rebuilt from snapshot and log.</summary>
public sealed record RecoveredState(SegmentedLog Log, StateMachine StateMachine, SnapshotKeeper Snapshots);

/// <summary>
/// Start-up recovery: load the newest snapshot, open the log (which truncates a torn tail), and
/// replay every entry after the snapshot without replies. Prints what it found, as redis-server
/// prints what it loaded.
/// </summary>
public static class Recovery
{
    public const string LogDirectory = "log";
    public const string SnapshotDirectory = "snapshots";
    private const long ReplayChunkBytes = 64L * 1024 * 1024;

    /// <summary>
    /// A single node never reads back recent entries (no followers to catch up), so the log's tail
    /// cache is kept small: its default 16 MB would only add to the memory the server holds.
    /// </summary>
    private static readonly SegmentedLogOptions LogOptions = SegmentedLogOptions.Default with
    {
        TailCacheBytes = 1L << 20,
        TailCacheEntries = 4096,
    };

    public static RecoveredState Run(string dataDirectory, StateMachineOptions machineOptions, DateTimeOffset startedAt, ServerLog serverLog)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(dataDirectory);
        var stateMachine = new StateMachine(CommandTable.Default, machineOptions);
        var snapshots = new SnapshotKeeper(SnapshotStore.Open(Path.Combine(dataDirectory, SnapshotDirectory)), startedAt);
        if (snapshots.TryLoadLatest(stateMachine))
        {
            serverLog.Notice($"Loaded the snapshot at log index {snapshots.LatestIndex} in {clock.ElapsedMilliseconds} ms");
        }
        var logDirectory = Path.Combine(dataDirectory, LogDirectory);
        var log = SegmentedLog.Open(logDirectory, LogOptions);
        try
        {
            Report(log.Recovery, serverLog);
            AlignWithSnapshot(log, snapshots, logDirectory);
            var replayed = Replay(log, stateMachine, snapshots.LatestIndex + 1);
            serverLog.Notice($"Recovered {dataDirectory}: snapshot index {snapshots.LatestIndex}, replayed {replayed} log entries, "
                + $"applied index {stateMachine.AppliedIndex}, {clock.ElapsedMilliseconds} ms");
            return new RecoveredState(log, stateMachine, snapshots);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    private static void Report(LogRecoveryReport report, ServerLog serverLog)
    {
        serverLog.Notice($"Opened the log: {report.Segments} segment(s), {report.Entries} entries");
        if (report.DroppedBytes > 0)
        {
            serverLog.Warning($"Truncated a torn log tail: {report.DroppedBytes} bytes from index {report.FirstDroppedIndex} ({report.DropReason})");
        }
        foreach (var file in report.RemovedFiles)
        {
            serverLog.Warning($"Removed log file {file}");
        }
    }

    /// <summary>
    /// The snapshot may be ahead of the log (entries after it were never made durable, with
    /// appendfsync no): restart the log after it. A log that starts after the snapshot ends has
    /// lost entries nobody can rebuild: refuse to start.
    /// </summary>
    private static void AlignWithSnapshot(SegmentedLog log, SnapshotKeeper snapshots, string logDirectory)
    {
        if (snapshots.LatestIndex > log.LastIndex)
        {
            log.ResetTo(snapshots.LatestIndex, snapshots.LatestTerm);
        }
        else if (snapshots.LatestIndex + 1 < log.FirstIndex)
        {
            throw new StorageCorruptedException(logDirectory,
                $"the log starts at index {log.FirstIndex} but the newest snapshot covers only up to {snapshots.LatestIndex}: entries in between are missing");
        }
    }

    private static ulong Replay(SegmentedLog log, StateMachine stateMachine, ulong from)
    {
        var entries = new List<Entry>();
        var next = from;
        while (next <= log.LastIndex)
        {
            entries.Clear();
            log.ReadRange(next, log.LastIndex + 1, ReplayChunkBytes, entries);
            foreach (var entry in entries)
            {
                stateMachine.Apply(entry.Index, entry.Data.Span, null);
            }
            next += (ulong)entries.Count;
        }
        return next - from;
    }
}
