using Dst.Commands;
using Dst.Storage;

namespace Dst.Server.Pipeline;

/// <summary>
/// Takes and loads keyspace snapshots through the storage layer's <see cref="SnapshotStore"/>, and
/// remembers what INFO persistence and LASTSAVE report about the last one.
/// </summary>
public sealed class SnapshotKeeper
{
    private readonly SnapshotStore _store;

    public SnapshotKeeper(SnapshotStore store, DateTimeOffset startedAt)
    {
        _store = store;
        // Redis reports the start time as the last save until the first save happens.
        LastSaveUnixSeconds = startedAt.ToUnixTimeSeconds();
    }

    /// <summary>The log index the newest snapshot covers (0: none).</summary>
    public ulong LatestIndex { get; private set; }

    public ulong LatestTerm { get; private set; }

    /// <summary>
    /// How far the log may be discarded: through the snapshot before the newest. The store keeps two
    /// snapshots and falls back to the older one if the newest fails its checksum; keeping the log
    /// back to the older one means that fallback still recovers every write.
    /// </summary>
    public ulong CompactableIndex { get; private set; }

    public long LastSaveUnixSeconds { get; private set; }

    public bool LastSaveOk { get; private set; } = true;

    /// <summary>Loads the newest valid snapshot into the state machine; false when there is none.</summary>
    public bool TryLoadLatest(StateMachine stateMachine)
    {
        var snapshot = _store.TryLoadLatest();
        if (snapshot is null)
        {
            return false;
        }
        using (var stream = snapshot.OpenBody())
        {
            stateMachine.LoadSnapshot(stream);
        }
        LatestIndex = snapshot.Index;
        LatestTerm = snapshot.Term;
        return true;
    }

    /// <summary>
    /// Writes the state machine's current state (under its lock, so no apply interleaves) as a snapshot
    /// at its applied index.
    /// </summary>
    public void Save(SegmentedLog log, StateMachine stateMachine)
    {
        try
        {
            lock (stateMachine.SyncRoot)
            {
                var index = stateMachine.AppliedIndex;
                var term = index == 0 ? 0 : log.Term(index);
                _store.Save(index, term, [], stateMachine.WriteSnapshot);
                if (index != LatestIndex)
                {
                    CompactableIndex = LatestIndex;
                }
                LatestIndex = index;
                LatestTerm = term;
            }
            LastSaveOk = true;
            LastSaveUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        }
        catch
        {
            LastSaveOk = false;
            throw;
        }
    }
}
