using Dst.Raft.ConfChange;

namespace Dst.Raft.Tests.Simulation;

/// <summary>
/// One simulated server: a durable disk (<see cref="MemoryStorage"/>, survives crashes), and the
/// volatile part (the Raft node, the state machine, pending reads) that a crash throws away.
/// </summary>
public sealed class SimNode
{
    private readonly Func<ulong, ulong, RaftConfig> _configFor;

    public SimNode(ulong id, MemoryStorage disk, Func<ulong, ulong, RaftConfig> configFor)
    {
        Id = id;
        Disk = disk;
        _configFor = configFor;
        Start();
    }

    public ulong Id { get; }

    public MemoryStorage Disk { get; }

    public RawNode? Raw { get; private set; }

    public bool IsUp => Raw is not null;

    public KvStateMachine Machine { get; private set; } = new();

    public ConfState Membership { get; private set; } = ConfState.Empty;

    public ulong AppliedIndex { get; private set; }

    /// <summary>Read points received, by request context.</summary>
    public Dictionary<ulong, ulong> ReadPoints { get; } = [];

    public int Incarnation { get; private set; }

    public void Start()
    {
        var snapshot = Disk.Snapshot();
        Machine = KvStateMachine.Deserialize(snapshot.Data.Span);
        Membership = snapshot.Metadata.ConfState;
        AppliedIndex = snapshot.Metadata.Index;
        // The state machine restarts from the snapshot, so entries after it are applied again.
        Raw = new RawNode(_configFor(Id, AppliedIndex), Disk);
        ReadPoints.Clear();
        Incarnation++;
    }

    public void Crash()
    {
        Raw = null;
        ReadPoints.Clear();
    }

    /// <summary>
    /// Handles every pending Ready in the documented order. With <paramref name="tornEntriesKept"/>
    /// set, the node crashes in the middle of its write: only that many of the new entries reach the
    /// disk (a torn tail is truncated on recovery), the hard state does not, and nothing after the
    /// write happens.
    /// </summary>
    public void HandleReadies(Action<Message> send, Action<SimNode, Entry> applied, int? tornEntriesKept = null)
    {
        var raw = Raw ?? throw new InvalidOperationException($"node {Id} is down");
        while (raw.HasReady())
        {
            var ready = raw.GetReady();
            var leader = raw.Raft.State == StateRole.Leader;
            // Thesis 10.2.1: the leader's replication traffic may leave before its own write.
            if (leader)
            {
                foreach (var m in ready.Messages)
                {
                    if (m.Type is MessageType.App or MessageType.Heartbeat or MessageType.Snap)
                    {
                        send(m);
                    }
                }
            }
            if (tornEntriesKept is { } kept)
            {
                if (ready.Snapshot is null && ready.Entries.Count > 0)
                {
                    Disk.Append(ready.Entries.GetRange(0, Math.Min(kept, ready.Entries.Count - 1)));
                }
                Crash();
                return;
            }
            if (ready.Snapshot is { } snapshot)
            {
                Disk.ApplySnapshot(snapshot);
                Machine = KvStateMachine.Deserialize(snapshot.Data.Span);
                Membership = snapshot.Metadata.ConfState;
                AppliedIndex = snapshot.Metadata.Index;
            }
            Disk.Append(ready.Entries);
            if (ready.HardState is { } hardState)
            {
                Disk.SetHardState(hardState);
            }
            foreach (var m in ready.Messages)
            {
                if (!leader || m.Type is not (MessageType.App or MessageType.Heartbeat or MessageType.Snap))
                {
                    send(m);
                }
            }
            foreach (var entry in ready.CommittedEntries)
            {
                Apply(raw, entry);
                applied(this, entry);
            }
            foreach (var read in ready.ReadStates)
            {
                ReadPoints[read.RequestContext] = read.Index;
            }
            raw.Advance();
        }
    }

    private void Apply(RawNode raw, Entry entry)
    {
        if (entry.Index != AppliedIndex + 1)
        {
            throw new RaftInvariantException($"node {Id} applies {entry.Index} after {AppliedIndex}");
        }
        AppliedIndex = entry.Index;
        if (entry.Type == EntryType.ConfChange)
        {
            Membership = raw.ApplyConfChange(ConfChangeRequest.Decode(entry.Data.Span));
        }
        else
        {
            Machine.Apply(entry.Data.Span);
        }
    }

    /// <summary>Snapshots the state machine and compacts the log, keeping <paramref name="keep"/> entries for slow followers.</summary>
    public void SnapshotAndCompact(ulong keep)
    {
        if (AppliedIndex <= Disk.Snapshot().Metadata.Index || AppliedIndex > Disk.LastIndex)
        {
            return;
        }
        Disk.CreateSnapshot(AppliedIndex, Membership, Machine.Serialize());
        var compactTo = AppliedIndex > keep ? AppliedIndex - keep : 0;
        if (compactTo >= Disk.FirstIndex)
        {
            Disk.Compact(compactTo);
        }
    }
}
