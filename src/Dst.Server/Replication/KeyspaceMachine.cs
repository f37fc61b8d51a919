using System.Buffers;
using Dst.Cluster.Hosting;
using Dst.Commands;
using Dst.Commands.Entries;
using Dst.Commands.Snapshots;
using Dst.Protocol;
using Dst.Raft;
using Dst.Server.Logging;
using Dst.Server.Pipeline;

namespace Dst.Server.Replication;

/// <summary>
/// The keyspace <see cref="StateMachine"/> as a Raft group's replicated state. A batch of committed
/// entries is applied under the keyspace lock once; each local proposal gets its reply written as it
/// is applied and is completed after the lock is released, so readers wait for one lock hold per
/// batch, not per entry.
/// </summary>
internal sealed class KeyspaceMachine(StateMachine stateMachine, ServerLog serverLog) : IReplicatedStateMachine
{
    // Pointed at each proposal's reply buffer before use; the initial target is never written.
    private readonly RespWriter _applyWriter = new(new ArrayBufferWriter<byte>(1));

    public StateMachine StateMachine { get; } = LoggingFailures(stateMachine, serverLog);

    public ulong AppliedIndex => StateMachine.AppliedIndex;

    public void Apply(ReadOnlySpan<CommittedEntry> committed)
    {
        lock (StateMachine.SyncRoot)
        {
            foreach (ref readonly var item in committed)
            {
                ApplyOne(item.Entry, item.Proposal as Proposal);
            }
        }
        foreach (ref readonly var item in committed)
        {
            (item.Proposal as Proposal)?.Complete();
        }
    }

    /// <summary>Holds the keyspace lock only for the capture's copies; the image is written without it.</summary>
    public ISnapshotImage CaptureSnapshot()
    {
        lock (StateMachine.SyncRoot)
        {
            return new Image(StateMachine.CaptureSnapshot());
        }
    }

    public void Restore(ulong index, ReadOnlySpan<byte> data)
    {
        using var image = new MemoryStream(data.ToArray(), writable: false);
        lock (StateMachine.SyncRoot)
        {
            StateMachine.LoadSnapshot(image);
        }
        if (StateMachine.AppliedIndex != index)
        {
            serverLog.Warning($"Snapshot at log index {index} holds a keyspace applied through {StateMachine.AppliedIndex}");
        }
    }

    private static StateMachine LoggingFailures(StateMachine stateMachine, ServerLog serverLog)
    {
        stateMachine.CommandFailed += (index, e) => serverLog.Warning($"Applying a command of log entry {index} failed: {e}");
        return stateMachine;
    }

    private void ApplyOne(in Entry entry, Proposal? proposal)
    {
        if (entry.Type != EntryType.Normal)
        {
            // A membership change: the group applied it; the keyspace only moves its applied index.
            StateMachine.Apply(entry.Index, [], null);
            return;
        }
        RespWriter? reply = null;
        if (proposal is { Kind: ProposalKind.Command })
        {
            _applyWriter.Reset(proposal.Reply);
            _applyWriter.Version = proposal.ReplyVersion;
            reply = _applyWriter;
        }
        try
        {
            StateMachine.Apply(entry.Index, entry.Data.Span, reply);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or UnsupportedEntryVersionException))
        {
            // Every replica applying this entry fails the same way and skips it; the client learns of the bug.
            // Not an entry of a later build: replicas running it apply it, so this node must stop instead.
            serverLog.Warning($"Applying log entry {entry.Index} failed: {e}");
            StateMachine.Apply(entry.Index, [], null);
            if (proposal is not null)
            {
                proposal.Reply.Clear();
                _applyWriter.Reset(proposal.Reply);
                _applyWriter.WriteError(StateMachine.ApplyFailure(e));
            }
        }
    }

    private sealed class Image(StateImage image) : ISnapshotImage
    {
        public void WriteTo(Stream destination, CancellationToken cancellation) => image.WriteTo(destination, cancellation);

        public void Dispose() => image.Dispose();
    }
}
