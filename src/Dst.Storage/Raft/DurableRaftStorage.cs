using Dst.Raft;

namespace Dst.Storage;

/// <summary>
/// <see cref="IRaftStorage"/> on disk: the entries in a <see cref="SegmentedLog"/> (<c>log/</c>), the
/// hard state in a <see cref="HardStateFile"/> (<c>hardstate</c>), snapshots in a
/// <see cref="SnapshotStore"/> (<c>snapshots/</c>). Behaves like <see cref="MemoryStorage"/>, plus
/// durability: a Raft host persists a Ready with <see cref="ApplySnapshot"/> (if any),
/// <see cref="Append"/>, <see cref="SetHardState"/>, then one <see cref="Sync"/> before sending
/// messages or calling Advance.
/// Thread-safety: none; the host's persistence loop owns it (as the core itself is single-threaded).
/// </summary>
public sealed class DurableRaftStorage : IRaftStorage, IDisposable
{
    private readonly SegmentedLog _log;
    private readonly HardStateFile _hardStateFile;
    private readonly SnapshotStore _snapshots;
    // Only the newest snapshot's metadata stays in memory; its bytes are read from its file when a
    // follower needs them, so a large keyspace is not held twice.
    private SnapshotMetadata _snapshot;
    private HardState _hardState;

    private DurableRaftStorage(SegmentedLog log, HardStateFile hardStateFile, SnapshotStore snapshots, SnapshotMetadata snapshot)
    {
        _log = log;
        _hardStateFile = hardStateFile;
        _snapshots = snapshots;
        _snapshot = snapshot;
        _hardState = hardStateFile.Current;
    }

    /// <summary>
    /// Opens (creating) the storage in <paramref name="directory"/>. The log is reconciled with the
    /// newest valid snapshot: a log that ends before it, or disagrees with it, is reset to start
    /// after it. A new directory is empty; see <see cref="Bootstrap"/> for a founding member.
    /// </summary>
    public static DurableRaftStorage Open(string directory, SegmentedLogOptions? logOptions = null)
    {
        directory = Path.GetFullPath(directory);
        Durable.CreateDirectory(directory);
        var snapshots = SnapshotStore.Open(Path.Combine(directory, "snapshots"));
        var snapshot = LoadSnapshot(snapshots);
        var log = SegmentedLog.Open(Path.Combine(directory, "log"), logOptions ?? SegmentedLogOptions.Default);
        HardStateFile? hardState = null;
        try
        {
            Reconcile(log, snapshot);
            hardState = HardStateFile.Open(directory);
            return new DurableRaftStorage(log, hardState, snapshots, snapshot);
        }
        catch
        {
            log.Dispose();
            hardState?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes a brand-new storage a founding member of a group of <paramref name="voters"/>, exactly as
    /// <see cref="MemoryStorage.Bootstrap"/>: a snapshot at index 1, term 1 carrying the membership,
    /// and hard state (term 1, no vote, commit 1), durably. Refuses storage that already holds state.
    /// </summary>
    public void Bootstrap(params ulong[] voters) => Bootstrap(ReadOnlyMemory<byte>.Empty, voters);

    /// <summary>As <see cref="Bootstrap(ulong[])"/>, with <paramref name="data"/> as the founding snapshot's state (a host's membership addresses).</summary>
    public void Bootstrap(ReadOnlyMemory<byte> data, params ulong[] voters)
    {
        if (_snapshot.Index != 0 || _log.LastIndex != 0 || !_hardState.IsEmpty)
        {
            throw new InvalidOperationException("cannot bootstrap: the storage already holds Raft state");
        }
        ApplySnapshot(new Snapshot(new SnapshotMetadata(1, 1, ConfState.Of(voters)), data));
        SetHardState(new HardState(1, 0, 1));
        Sync();
    }

    /// <summary>What opening the log found and repaired (torn tail dropped, leftovers removed).</summary>
    public LogRecoveryReport LogRecovery => _log.Recovery;

    public HardState HardState => _hardState;

    public ulong FirstIndex => _log.FirstIndex;

    public ulong LastIndex => _log.LastIndex;

    /// <summary>The last index whose entry is on stable storage.</summary>
    public ulong DurableIndex => _log.DurableIndex;

    /// <summary>
    /// The saved hard state, with the commit index raised to the snapshot's (saved lazily, see
    /// <see cref="Sync"/>, it may lag behind a snapshot installed since) and capped at the log's end.
    /// </summary>
    public RaftInitialState InitialState()
    {
        var hard = _hardState;
        if (!hard.IsEmpty)
        {
            var commit = Math.Min(Math.Max(hard.Commit, _snapshot.Index), Math.Max(_log.LastIndex, _snapshot.Index));
            hard = hard with { Commit = commit };
        }
        return new(hard, _snapshot.ConfState);
    }

    /// <summary>The newest snapshot's index, term and membership, without reading its data.</summary>
    public SnapshotMetadata SnapshotMetadata => _snapshot;

    /// <summary>The newest snapshot, its data read from its file (a leader sending it to a follower, a node starting).</summary>
    public Snapshot Snapshot()
    {
        if (_snapshot.Index == 0)
        {
            return Raft.Snapshot.Empty;
        }
        // By name, not the newest file: a snapshot written in the background may be newer and not yet finished.
        var stored = _snapshots.TryLoad(_snapshot.Index, _snapshot.Term);
        if (stored is null)
        {
            throw new StorageCorruptedException(_snapshots.DirectoryPath, $"the snapshot at index {_snapshot.Index} can no longer be read");
        }
        return new Snapshot(_snapshot, stored.ReadBody());
    }

    public ulong Term(ulong index)
    {
        CheckNotCompacted(index + 1);
        if (index > _log.LastIndex)
        {
            throw new LogUnavailableException(index, _log.LastIndex);
        }
        return _log.Term(index);
    }

    public void Entries(ulong lo, ulong hi, ulong maxBytes, List<Entry> destination)
    {
        CheckNotCompacted(lo);
        if (hi > _log.LastIndex + 1)
        {
            throw new LogUnavailableException(hi - 1, _log.LastIndex);
        }
        if (lo < hi)
        {
            _log.ReadRange(lo, hi, (long)Math.Min(maxBytes, long.MaxValue), destination);
        }
    }

    /// <summary>
    /// Appends entries handed out by a Ready (not durable until <see cref="Sync"/>), with
    /// <see cref="MemoryStorage.Append"/>'s meaning: entries already compacted are ignored, and the
    /// held log is replaced from the first overlapping index on, so nothing held survives past the
    /// batch. Leading entries identical to held ones (same index and term, hence the same entry by
    /// Raft's log matching) are not rewritten. A gap after the last index throws.
    /// </summary>
    public void Append(IReadOnlyList<Entry> entries) => Append(Entry.AsSpan(entries));

    private void Append(ReadOnlySpan<Entry> entries)
    {
        var start = 0;
        while (start < entries.Length && IsAlreadyHeld(entries[start]))
        {
            start++;
        }
        if (entries.Length == 0 || entries[^1].Index < _log.FirstIndex)
        {
            return;
        }
        var replaceFrom = start < entries.Length ? entries[start].Index : entries[^1].Index + 1;
        if (replaceFrom > _log.LastIndex + 1)
        {
            throw new RaftInvariantException($"append leaves a gap: last index {_log.LastIndex}, appending from {replaceFrom}");
        }
        _log.TruncateSuffix(replaceFrom);
        for (var i = start; i < entries.Length; i++)
        {
            _log.Append(entries[i]);
        }
    }

    /// <summary>Records the hard state to save at the next <see cref="Sync"/> (after the entries).</summary>
    public void SetHardState(HardState hardState) => _hardState = hardState;

    /// <summary>
    /// Makes every appended entry durable, then the hard state when its term or vote changed. A change
    /// of the commit index alone is not worth a second fsync: the commit index is a hint a restarted
    /// node relearns from the leader (or, alone, by committing its new term), never needed for safety.
    /// </summary>
    public void Sync()
    {
        _log.Sync();
        SaveHardStateIfVoteChanged();
    }

    /// <summary>
    /// Hands appended entries to the operating system without waiting for the disk (appendfsync
    /// everysec or no: a killed process loses nothing, a power loss may). Term and vote are still
    /// made durable, because a node that forgets its vote can vote twice in one term.
    /// </summary>
    public void Flush()
    {
        _log.Flush();
        SaveHardStateIfVoteChanged();
    }

    private void SaveHardStateIfVoteChanged()
    {
        var saved = _hardStateFile.Current;
        if (_hardState.Term != saved.Term || _hardState.Vote != saved.Vote || saved.IsEmpty)
        {
            _hardStateFile.Save(_hardState);
        }
    }

    /// <summary>
    /// Installs a snapshot received from the leader: the snapshot file is saved durably first, then
    /// the whole log is discarded and restarts after it (as <see cref="MemoryStorage.ApplySnapshot"/>).
    /// </summary>
    public void ApplySnapshot(Snapshot snapshot)
    {
        var held = _snapshot.Index;
        if (snapshot.Metadata.Index < held)
        {
            throw new SnapshotOutOfDateException(snapshot.Metadata.Index, held);
        }
        Save(snapshot);
        _log.ResetTo(snapshot.Metadata.Index, snapshot.Metadata.Term);
    }

    /// <summary>
    /// Saves a snapshot the application took of its state at <paramref name="index"/> (which must be
    /// held in the log). Does not discard entries: call <see cref="Compact"/>.
    /// </summary>
    public Snapshot CreateSnapshot(ulong index, ConfState confState, ReadOnlyMemory<byte> data)
    {
        if (index <= _snapshot.Index)
        {
            throw new SnapshotOutOfDateException(index, _snapshot.Index);
        }
        if (index > _log.LastIndex)
        {
            throw new LogUnavailableException(index, _log.LastIndex);
        }
        var snapshot = new Snapshot(new SnapshotMetadata(index, Term(index), confState), data);
        Save(snapshot);
        return snapshot;
    }

    /// <summary>
    /// As <see cref="CreateSnapshot(ulong, ConfState, ReadOnlyMemory{byte})"/>, with the data streamed
    /// straight into the snapshot file by <paramref name="writeData"/>, never held whole in memory.
    /// </summary>
    public SnapshotMetadata CreateSnapshot(ulong index, ConfState confState, Action<Stream> writeData)
    {
        var pending = BeginSnapshot(index, confState);
        pending.Write(writeData);
        FinishSnapshot(pending);
        return pending.Metadata;
    }

    /// <summary>
    /// Starts a snapshot the application took of its state at <paramref name="index"/> (which must be
    /// held in the log), to be written on another thread while the storage goes on: fixes its term
    /// and membership now; <see cref="PendingSnapshot.Write"/> writes the file, then
    /// <see cref="FinishSnapshot"/> installs it.
    /// </summary>
    public PendingSnapshot BeginSnapshot(ulong index, ConfState confState)
    {
        if (index <= _snapshot.Index)
        {
            throw new SnapshotOutOfDateException(index, _snapshot.Index);
        }
        if (index > _log.LastIndex)
        {
            throw new LogUnavailableException(index, _log.LastIndex);
        }
        return new PendingSnapshot(_snapshots, new SnapshotMetadata(index, Term(index), confState), ConfStateCodec.Encode(confState));
    }

    /// <summary>
    /// Makes a written background snapshot the storage's newest and deletes the oldest files. Returns
    /// false, changing nothing, when a newer snapshot arrived meanwhile (a leader's, through
    /// <see cref="ApplySnapshot"/>): the stale one is never installed over it. Does not discard
    /// entries: call <see cref="Compact"/>.
    /// </summary>
    public bool FinishSnapshot(PendingSnapshot pending)
    {
        if (!pending.IsWritten)
        {
            throw new InvalidOperationException($"the snapshot at {pending.Metadata.Index} was not written");
        }
        if (pending.Metadata.Index <= _snapshot.Index)
        {
            return false;
        }
        _snapshot = pending.Metadata;
        _snapshots.Prune();
        return true;
    }

    /// <summary>Discards entries through <paramref name="compactIndex"/>, whose term stays answerable.</summary>
    public void Compact(ulong compactIndex)
    {
        CheckNotCompacted(compactIndex);
        if (compactIndex > _log.LastIndex)
        {
            throw new LogUnavailableException(compactIndex, _log.LastIndex);
        }
        // Entries past the snapshot are the only copy a lagging follower (or this node's restart) can use.
        if (compactIndex > _snapshot.Index)
        {
            throw new RaftInvariantException(
                $"compacting to {compactIndex} would discard entries after the snapshot at {_snapshot.Index}");
        }
        _log.CompactPrefix(compactIndex);
    }

    public void Dispose()
    {
        _log.Dispose();
        _hardStateFile.Dispose();
    }

    private void Save(Snapshot snapshot)
    {
        var metadata = snapshot.Metadata;
        _snapshots.Save(metadata.Index, metadata.Term, ConfStateCodec.Encode(metadata.ConfState), snapshot.Data);
        _snapshot = metadata;
    }

    private bool IsAlreadyHeld(in Entry entry) =>
        entry.Index < _log.FirstIndex || (entry.Index <= _log.LastIndex && _log.Term(entry.Index) == entry.Term);

    private void CheckNotCompacted(ulong index)
    {
        if (index < _log.FirstIndex)
        {
            throw new LogCompactedException(index, _log.FirstIndex);
        }
    }

    private static SnapshotMetadata LoadSnapshot(SnapshotStore snapshots)
    {
        var stored = snapshots.TryLoadLatest();
        if (stored is null)
        {
            return SnapshotMetadata.Empty;
        }
        var confState = ConfStateCodec.Decode(stored.Metadata.Span, stored.FilePath);
        return new SnapshotMetadata(stored.Index, stored.Term, confState);
    }

    /// <summary>
    /// Makes the log consistent with the snapshot after a restart. The log may end before the
    /// snapshot or disagree with it (a crash while installing one): then it restarts after the
    /// snapshot. A log compacted past the newest valid snapshot has lost entries nothing can restore.
    /// </summary>
    private static void Reconcile(SegmentedLog log, SnapshotMetadata snapshot)
    {
        if (log.FirstIndex - 1 > snapshot.Index)
        {
            throw new StorageCorruptedException(log.DirectoryPath,
                $"the log is compacted through {log.FirstIndex - 1} but the newest valid snapshot covers only through {snapshot.Index}: entries in between are lost");
        }
        if (snapshot.Index == 0)
        {
            return;
        }
        if (snapshot.Index > log.LastIndex || log.Term(snapshot.Index) != snapshot.Term)
        {
            log.ResetTo(snapshot.Index, snapshot.Term);
        }
    }
}
