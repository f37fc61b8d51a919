using Dst.Raft;
using Microsoft.Extensions.Logging;

namespace Dst.Cluster.Hosting;

/// <summary>The group's snapshots: SAVE, the automatic policy, background writing, and installing a leader's.</summary>
public sealed partial class HostedGroup
{
    /// <summary>
    /// SAVE: snapshots everything applied so far. <paramref name="done"/> gets null once a snapshot at
    /// or after the current applied index is durable and installed, else why not. The snapshot is
    /// written in the background while the group goes on; one already being written is waited for,
    /// and another follows if it stops short. Call on the loop thread (<see cref="RaftHost.Post"/>).
    /// </summary>
    public void TakeSnapshot(Action<string?> done)
    {
        var applied = Machine.AppliedIndex;
        if (applied <= Storage.SnapshotMetadata.Index)
        {
            done(null);
            return;
        }
        _snapshotWaiters.Add(new SnapshotWaiter(applied, done));
        StartSnapshot();
    }

    /// <summary>
    /// Snapshots once <c>snapshot-every-entries</c> entries were applied since the last snapshot and,
    /// as Redis rewrites its AOF (<c>auto-aof-rewrite-min-size</c>, 100% growth), once those entries hold
    /// at least <c>snapshot-min-log-size</c> bytes and as many as the last snapshot: writing snapshots
    /// then costs a bounded share of each write however large the state (a fixed entry count rewrites
    /// a 1M-key keyspace every 100,000 writes), and recovery replays about one snapshot's worth of log.
    /// </summary>
    private void MaybeSnapshot()
    {
        var durability = _options.Durability();
        if (durability.SnapshotEveryEntries > 0
            && (long)(Machine.AppliedIndex - Storage.SnapshotMetadata.Index) >= durability.SnapshotEveryEntries
            && _bytesAppliedSinceCapture >= Math.Max(durability.SnapshotMinLogBytes, _lastSnapshotBytes))
        {
            StartSnapshot();
        }
    }

    /// <summary>
    /// Captures the applied state (a short pause of the state machine) and writes it on a thread of
    /// its own; <see cref="FinishSnapshot"/> installs it back on the loop thread. Nothing happens while
    /// another snapshot is being written or when nothing was applied since the last one.
    /// </summary>
    private void StartSnapshot()
    {
        var applied = Machine.AppliedIndex;
        if (_snapshotJob is not null || applied <= Storage.SnapshotMetadata.Index)
        {
            return;
        }
        _bytesAppliedSinceCapture = 0;
        var pending = Storage.BeginSnapshot(applied, Raft.Tracker.Config.ToConfState());
        var job = new SnapshotJob(pending, Machine.CaptureSnapshot(), Addresses.Encode());
        Volatile.Write(ref _snapshotJob, job);
        job.Start(written => _host.Post(() => FinishSnapshot(written)));
    }

    private void FinishSnapshot(SnapshotJob job)
    {
        if (_snapshotJob != job)
        {
            return; // abandoned: the host is stopping
        }
        Volatile.Write(ref _snapshotJob, null);
        if (job.Error is not null)
        {
            if (job.Bug is not null)
            {
                _host.Logger.LogError(job.Bug, "Group {Group}: writing the snapshot at {Index} failed", Id, job.Index);
            }
            else if (job.Error != "cancelled")
            {
                _host.Logger.LogWarning("Group {Group}: snapshot at {Index} failed: {Error}", Id, job.Index, job.Error);
            }
        }
        else if (Storage.FinishSnapshot(job.Pending))
        {
            _lastSnapshotBytes = job.DataBytes;
            // Keep the log back to the previous snapshot, so a damaged newest snapshot still recovers everything.
            if (_previousSnapshotIndex >= Storage.FirstIndex)
            {
                Storage.Compact(_previousSnapshotIndex);
            }
            _previousSnapshotIndex = job.Index;
        }
        PublishStatus(); // a client told its SAVE is done must see the new snapshot in INFO
        AnswerSnapshotWaiters(job.Error);
        if (_snapshotWaiters.Count > 0)
        {
            StartSnapshot(); // a SAVE that came after this capture
        }
    }

    /// <summary>Answers the SAVEs the newest snapshot covers, and on a failure those it does not.</summary>
    private void AnswerSnapshotWaiters(string? error)
    {
        var covered = Storage.SnapshotMetadata.Index;
        for (var i = 0; i < _snapshotWaiters.Count; i++)
        {
            var waiter = _snapshotWaiters[i];
            if (waiter.AppliedIndex <= covered || error is not null)
            {
                _snapshotWaiters.RemoveAt(i--);
                waiter.Done(waiter.AppliedIndex <= covered ? null : error);
            }
        }
    }

    private void InstallSnapshot(Snapshot snapshot)
    {
        // A snapshot being written describes older state: stop it (FinishSnapshot then installs nothing).
        _snapshotJob?.Cancel();
        Storage.ApplySnapshot(snapshot);
        var image = SnapshotEnvelope.Unwrap(snapshot.Data.Span, Addresses);
        // An empty image is the founding snapshot: a joining node's empty state already matches it.
        if (!image.IsEmpty)
        {
            Machine.Restore(snapshot.Metadata.Index, image);
        }
        _previousSnapshotIndex = snapshot.Metadata.Index;
        // The log was replaced: whatever this node proposed before is decided elsewhere.
        while (_pending.TryDequeue(out var pending))
        {
            pending.Proposal.Abandon(ProposalAbandoned.OutcomeUnknown, Raft.Lead);
        }
        _host.Logger.LogInformation("Group {Group}: installed a snapshot at index {Index} ({Bytes} bytes)", Id, snapshot.Metadata.Index, snapshot.Data.Length);
    }

    private readonly record struct SnapshotWaiter(ulong AppliedIndex, Action<string?> Done);
}
