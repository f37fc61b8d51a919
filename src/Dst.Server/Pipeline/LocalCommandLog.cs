using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using Dst.Commands;
using Dst.Protocol;
using Dst.Raft;
using Dst.Server.Logging;
using Dst.Server.Options;
using Dst.Storage;

namespace Dst.Server.Pipeline;

/// <summary>
/// The single-node write path. One thread drains the proposal queue in batches: it gives each write
/// the next log index (term 1), appends the whole batch, makes it durable as appendfsync says (one
/// fsync for the batch with "always"), applies the entries in order under the keyspace lock with
/// each reply written into its proposal, and completes them. Snapshots are taken on this thread too,
/// between batches, so a snapshot is exactly the state after one log index.
/// <para>
/// When no fsync stands in the way (appendfsync everysec or no), the proposing thread processes the
/// queue itself if no one else is (flat combining): a lone write is then appended and applied
/// without waking another thread. With "always" the log thread does every batch, so connections
/// never block on an fsync. Either way the log thread is the backstop that drains whatever a
/// proposer could not.
/// </para>
/// </summary>
public sealed class LocalCommandLog : ICommandLog, IDisposable
{
    private const ulong LeaderTerm = 1;
    private const int MaxBatch = 4096;
    private static readonly TimeSpan EverySecInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<Proposal> _queue = new();
    private readonly ManualResetEventSlim _work = new(false, spinCount: 100);
    private readonly ProposalPool _pool = new();
    private readonly List<Proposal> _batch = new(MaxBatch);
    private readonly SegmentedLog _log;
    private readonly StateMachine _stateMachine;
    private readonly SnapshotKeeper _snapshots;
    private readonly ServerOptions _options;
    private readonly ServerLog _serverLog;
    private readonly RespWriter _applyWriter;
    private readonly Thread _thread;
    private readonly Lock _statusGate = new();

    /// <summary>Held by whoever processes a batch: the log thread or a combining proposer.</summary>
    private readonly Lock _processGate = new();
    private LogStatus _status;
    private volatile string? _failure;
    private volatile bool _stopping;
    private volatile bool _logThreadHoldsGate;
    private long _lastSyncTimestamp = Stopwatch.GetTimestamp();

    public LocalCommandLog(SegmentedLog log, StateMachine stateMachine, SnapshotKeeper snapshots, ServerOptions options, ServerLog serverLog)
    {
        _log = log;
        _stateMachine = stateMachine;
        _snapshots = snapshots;
        _options = options;
        _serverLog = serverLog;
        // Pointed at each proposal's reply buffer before use; the initial target is never written.
        _applyWriter = new RespWriter(new ArrayBufferWriter<byte>(1));
        PublishStatus();
        _thread = new Thread(Run) { Name = "dst-log", IsBackground = true };
        _thread.Start();
    }

    public LogStatus Status
    {
        get
        {
            lock (_statusGate)
            {
                return _status;
            }
        }
    }

    public Proposal Rent(ProposalKind kind, RespVersion replyVersion)
    {
        var proposal = _pool.Rent();
        proposal.Reset(kind, replyVersion);
        return proposal;
    }

    public void Return(Proposal proposal) => _pool.Return(proposal);

    public ValueTask ProposeAsync(Proposal proposal)
    {
        Propose(new ReadOnlySpan<Proposal>(in proposal));
        return proposal.Completion;
    }

    public void Propose(ReadOnlySpan<Proposal> proposals)
    {
        var failure = _failure;
        if (failure is not null || _stopping)
        {
            var error = new LogUnavailableException(failure ?? "ERR server is shutting down");
            foreach (var proposal in proposals)
            {
                proposal.Fail(error);
            }
            return;
        }
        foreach (var proposal in proposals)
        {
            _queue.Enqueue(proposal);
        }
        if (_options.AppendFsync == AppendFsync.Always || !TryProcessInline())
        {
            _work.Set();
        }
    }

    /// <summary>
    /// Processes the queue on the calling thread. Another proposer holds the gate for microseconds,
    /// so waiting for it beats waking the log thread (two thread hops per write); the log thread may
    /// hold it for an fsync or a snapshot, so then the work is left to it instead.
    /// </summary>
    private bool TryProcessInline()
    {
        if (!_processGate.TryEnter())
        {
            if (_logThreadHoldsGate)
            {
                return false;
            }
            _processGate.Enter();
        }
        try
        {
            DrainQueue(onLogThread: false);
        }
        finally
        {
            _processGate.Exit();
        }
        return true;
    }

    /// <summary>A single node applies before it acknowledges, so its state already reflects every acknowledged write.</summary>
    public ValueTask ReadBarrierAsync() => ValueTask.CompletedTask;

    private void Run()
    {
        while (true)
        {
            if (_queue.IsEmpty)
            {
                if (_stopping)
                {
                    break;
                }
                _work.Reset();
                if (_queue.IsEmpty)
                {
                    _work.Wait(EverySecInterval);
                }
                RunHoldingGate(static self => self.SyncIfDue(anyAppended: false, onLogThread: true));
                continue;
            }
            RunHoldingGate(static self => self.DrainQueue(onLogThread: true));
        }
        lock (_processGate)
        {
            FinalSync();
        }
    }

    /// <summary>The log thread's way to hold the process gate, flagged so proposers hand work over rather than wait.</summary>
    private void RunHoldingGate(Action<LocalCommandLog> work)
    {
        lock (_processGate)
        {
            _logThreadHoldsGate = true;
            try
            {
                work(this);
            }
            finally
            {
                _logThreadHoldsGate = false;
            }
        }
    }

    /// <summary>Processes queued proposals in batches until the queue is empty. Caller holds the process gate.</summary>
    private void DrainQueue(bool onLogThread)
    {
        while (!_queue.IsEmpty)
        {
            _batch.Clear();
            while (_batch.Count < MaxBatch && _queue.TryDequeue(out var proposal))
            {
                _batch.Add(proposal);
            }
            ProcessBatch(onLogThread);
        }
    }

    private void ProcessBatch(bool onLogThread)
    {
        if (!TryAppendBatch(onLogThread))
        {
            return;
        }
        var snapshotRequested = false;
        lock (_stateMachine.SyncRoot)
        {
            foreach (var proposal in _batch)
            {
                if (proposal.Kind == ProposalKind.Snapshot)
                {
                    snapshotRequested = true;
                    continue;
                }
                Apply(proposal);
            }
        }
        foreach (var proposal in _batch)
        {
            if (proposal.Kind != ProposalKind.Snapshot)
            {
                proposal.Complete();
            }
        }
        PublishStatus();
        var policyDue = _options.SnapshotEveryEntries > 0
            && (long)(_log.LastIndex - _snapshots.LatestIndex) >= _options.SnapshotEveryEntries;
        if (snapshotRequested || policyDue)
        {
            var error = TakeSnapshot();
            foreach (var proposal in _batch)
            {
                if (proposal.Kind == ProposalKind.Snapshot)
                {
                    WriteSnapshotReply(proposal, error);
                    proposal.Complete();
                }
            }
        }
    }

    /// <summary>Appends every entry of the batch and persists per appendfsync; on an I/O error fails the batch and stops taking writes.</summary>
    private bool TryAppendBatch(bool onLogThread)
    {
        var appended = false;
        try
        {
            foreach (var proposal in _batch)
            {
                if (proposal.Kind == ProposalKind.Snapshot)
                {
                    continue;
                }
                proposal.Index = _log.LastIndex + 1;
                _log.Append(LeaderTerm, proposal.Index, EntryType.Normal, proposal.Payload.WrittenSpan);
                appended = true;
            }
            SyncIfDue(appended, onLogThread);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _failure = $"MISCONF Errors writing to the log on disk, writes are refused until the server restarts: {e.Message}";
            _serverLog.Warning($"Writing the log failed; refusing writes from now on: {e}");
            var failure = new LogUnavailableException(_failure);
            foreach (var proposal in _batch)
            {
                proposal.Fail(failure);
            }
            PublishStatus();
            return false;
        }
    }

    /// <summary>
    /// "always": fsync every batch; "everysec": at most once a second, only on the log thread (which
    /// wakes at least once a second), so a proposer processing inline never waits for the disk;
    /// "no": never (the OS writes back). Whatever is not fsynced is still handed to the OS before
    /// the batch is applied and answered, as Redis writes its AOF buffer before replying, so a
    /// killed process loses no acknowledged write in any mode.
    /// </summary>
    private void SyncIfDue(bool anyAppended, bool onLogThread)
    {
        switch (_options.AppendFsync)
        {
            case AppendFsync.Always when anyAppended:
                _log.Sync();
                break;
            case AppendFsync.EverySec when onLogThread && _log.DurableIndex < _log.LastIndex
                && Stopwatch.GetElapsedTime(_lastSyncTimestamp) >= EverySecInterval:
                _log.Sync();
                _lastSyncTimestamp = Stopwatch.GetTimestamp();
                PublishStatus();
                break;
            case not AppendFsync.Always when anyAppended:
                _log.Flush();
                break;
        }
    }

    private void Apply(Proposal proposal)
    {
        RespWriter? reply = null;
        if (proposal.Kind == ProposalKind.Command)
        {
            _applyWriter.Reset(proposal.Reply);
            _applyWriter.Version = proposal.ReplyVersion;
            reply = _applyWriter;
        }
        try
        {
            _stateMachine.Apply(proposal.Index, proposal.Payload.WrittenSpan, reply);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Every replica applying this entry would throw the same way; the client learns of the bug.
            _serverLog.Warning($"Applying log entry {proposal.Index} failed: {e}");
            proposal.Reply.Clear();
            _applyWriter.Reset(proposal.Reply);
            _applyWriter.WriteError($"ERR internal error applying the command: {e.Message}");
        }
    }

    /// <summary>Snapshots the applied state, then drops the log entries the previous snapshot covers. Returns an error message or null.</summary>
    private string? TakeSnapshot()
    {
        try
        {
            _snapshots.Save(_log, _stateMachine);
            _log.CompactPrefix(_snapshots.CompactableIndex);
            PublishStatus();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _serverLog.Warning($"Snapshot failed: {e.Message}");
            PublishStatus();
            return e.Message;
        }
    }

    private static void WriteSnapshotReply(Proposal proposal, string? error)
    {
        var writer = new RespWriter(proposal.Reply);
        if (error is null)
        {
            writer.WriteOk();
        }
        else
        {
            writer.WriteError($"ERR snapshot failed: {error}");
        }
    }

    private void PublishStatus()
    {
        var status = new LogStatus(
            _log.FirstIndex,
            _log.LastIndex,
            _stateMachine.AppliedIndex,
            _log.DurableIndex,
            _snapshots.LatestIndex,
            _snapshots.LastSaveUnixSeconds,
            _snapshots.LastSaveOk,
            (long)(_log.LastIndex - _snapshots.LatestIndex),
            _failure);
        lock (_statusGate)
        {
            _status = status;
        }
    }

    private void FinalSync()
    {
        try
        {
            _log.Sync();
        }
        catch (IOException e)
        {
            _serverLog.Warning($"Final fsync of the log failed: {e.Message}");
        }
    }

    /// <summary>Stops after the queued proposals: they are applied, the log is fsynced, the thread ends.</summary>
    public void Dispose()
    {
        _stopping = true;
        _work.Set();
        _thread.Join();
        _work.Dispose();
    }
}
