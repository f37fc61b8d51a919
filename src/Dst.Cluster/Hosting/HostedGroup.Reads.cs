using System.Runtime.InteropServices;
using Dst.Raft;

namespace Dst.Cluster.Hosting;

/// <summary>The group's linearizable reads: batched ReadIndex rounds and serving the reads they release.</summary>
public sealed partial class HostedGroup
{
    internal void QueueRead(IReadRequest read) => _queuedReads.Add(read);

    /// <summary>
    /// A ReadIndex round is out and unanswered. Its answer (a message, or the tick that gives up on
    /// it) wakes the loop anyway, and reads arriving meanwhile wait for the next round, so the host
    /// need not wake the loop for them. Safe from any thread.
    /// </summary>
    internal bool ReadRoundInFlight => Volatile.Read(ref _readRoundInFlight) != 0;

    private const long ReadRoundPatienceTicks = 4;

    /// <summary>
    /// One ReadIndex round for every read queued since the last one. While a round still waits for its
    /// quorum, new reads wait for the next: under load each round then serves every read that arrived
    /// during the previous one, instead of a round (heartbeats to every follower) per loop pass. A round
    /// unanswered for <see cref="ReadRoundPatienceTicks"/> (its request or a heartbeat was lost) is asked
    /// again together with the reads queued since, keeping its first tick for the request timeout.
    /// </summary>
    internal void IssueReads()
    {
        var issuedAtTick = _ticks;
        if (_readBatches.Count > 0 && _readBatches[^1] is { ReadIndex: 0 } inFlight)
        {
            if (_ticks - inFlight.RequestedAtTick < ReadRoundPatienceTicks)
            {
                return;
            }
            _readBatches.RemoveAt(_readBatches.Count - 1);
            _queuedReads.AddRange(inFlight.Reads);
            issuedAtTick = inFlight.IssuedAtTick;
        }
        if (_queuedReads.Count == 0)
        {
            return;
        }
        if (Raft.Lead == RaftNode.None)
        {
            foreach (var read in _queuedReads)
            {
                read.Fail(ProposalAbandoned.NotLeader, Raft.Lead);
            }
            _queuedReads.Clear();
            return;
        }
        var batch = new ReadBatch(_nextReadContext++, issuedAtTick, _ticks, _queuedReads);
        _queuedReads = [];
        _readBatches.Add(batch);
        Volatile.Write(ref _readRoundInFlight, 1);
        Raw.ReadIndex(batch.Context);
    }

    /// <summary>
    /// Clears <see cref="ReadRoundInFlight"/> once the newest round is answered or dropped. The full
    /// fence pairs with the one in <see cref="RaftHost.Read"/>: either the loop's later look at its
    /// inbox sees a read queued meanwhile, or that read's sender sees the flag clear and wakes the loop.
    /// </summary>
    private void NoteReadRoundAnswered()
    {
        if (ReadRoundInFlight && (_readBatches.Count == 0 || _readBatches[^1].ReadIndex != 0))
        {
            Interlocked.Exchange(ref _readRoundInFlight, 0);
        }
    }

    /// <summary>Read points need nothing persisted: the batches they answer may be served as soon as applied.</summary>
    private void TakeReadPoints(Ready ready)
    {
        foreach (var state in CollectionsMarshal.AsSpan(ready.ReadStates))
        {
            foreach (var batch in _readBatches)
            {
                if (batch.Context == state.RequestContext)
                {
                    batch.ReadIndex = state.Index;
                }
            }
        }
        NoteReadRoundAnswered();
    }

    private void ServeReads()
    {
        var applied = Machine.AppliedIndex;
        for (var i = 0; i < _readBatches.Count; i++)
        {
            var batch = _readBatches[i];
            if (batch.ReadIndex != 0 && batch.ReadIndex <= applied)
            {
                _readBatches.RemoveAt(i--);
                foreach (var read in batch.Reads)
                {
                    read.Ready();
                }
            }
        }
    }

    private sealed class ReadBatch(ulong context, long issuedAtTick, long requestedAtTick, List<IReadRequest> reads)
    {
        public ulong Context { get; } = context;
        /// <summary>When its oldest read was first asked for: the request timeout counts from here.</summary>
        public long IssuedAtTick { get; } = issuedAtTick;
        /// <summary>When this ReadIndex request went out.</summary>
        public long RequestedAtTick { get; } = requestedAtTick;
        public List<IReadRequest> Reads { get; } = reads;
        public ulong ReadIndex { get; set; }

        public void Fail(ProposalAbandoned reason, ulong leader)
        {
            foreach (var read in Reads)
            {
                read.Fail(reason, leader);
            }
        }
    }
}
