using System.Buffers.Binary;
using System.Threading.Tasks.Sources;
using Dst.Cluster.Hosting;
using Dst.Commands.Entries;
using Dst.Protocol;
using Dst.Server.Networking;
using Dst.Server.Replication;
using Dst.Storage;

namespace Dst.Server.Pipeline;

/// <summary>
/// One write on its way through the log: the encoded entry going in, the reply coming out. Proposals
/// are pooled and are their own <see cref="IValueTaskSource"/>, so proposing a write allocates neither
/// buffers nor a Task once the pool is warm.
/// </summary>
public sealed class Proposal : IValueTaskSource, IProposal, IDisposable
{
    /// <summary>Where the write entry header keeps its timestamp (after the version and kind bytes).</summary>
    private const int TimestampOffset = 2;

    /// <summary>
    /// The timestamp a proposer encodes in a write entry: the leader overwrites it as it appends the
    /// entry (<see cref="BuildEntry"/>), forwarded writes included, so reading the clock for it is waste.
    /// </summary>
    public const long StampedByLeader = 0;

    // Completed on the Raft loop; the continuation runs where _resume sends it.
    private ManualResetValueTaskSourceCore<bool> _completion = new() { RunContinuationsAsynchronously = false };
    private LoopContinuation _resume;

    // Receives the payload restamped with a session; then the two swap. Made on first use: only writes
    // this node forwards join a session, and a proposal that never does stays smaller to recycle.
    private PooledBufferWriter? _spare;

    /// <summary>The log entry payload (a state machine encoding); filled by the proposer.</summary>
    public PooledBufferWriter Payload { get; private set; } = new(256);

    /// <summary>The RESP reply the apply produced; read after the proposal completes.</summary>
    public PooledBufferWriter Reply { get; } = new(64);

    public RespVersion ReplyVersion { get; set; }

    public ProposalKind Kind { get; set; }

    /// <summary>The log index assigned by the log thread; 0 until appended.</summary>
    public ulong Index { get; internal set; }

    /// <summary>Completes once the proposal has been applied (or fails with <see cref="LogUnavailableException"/>).</summary>
    public ValueTask Completion => new(this, _completion.Version);

    /// <summary>
    /// The entry names an exactly-once session (a client's, this node's forwarding session, or for a
    /// write another node forwarded here, that node's): sending it again can never apply it twice.
    /// </summary>
    public bool InSession { get; set; }

    /// <summary>This node's forwarding session, when the write was numbered in it; told when the write is settled.</summary>
    internal ForwardSession? Session { get; private set; }

    internal ulong Sequence { get; private set; }

    /// <summary>When retrying gives up (<see cref="Environment.TickCount64"/>); set by the first forward.</summary>
    internal long RetryDeadline { get; set; }

    /// <summary>
    /// Some attempt may have reached a log (appended here, in flight on a link that had connected when
    /// it broke, or a leader answered "may or may not"): if the write is finally given up, its client
    /// must hear "may or may not have been applied", whatever the last attempt met.
    /// </summary>
    internal bool MayHaveBeenApplied { get; set; }

    /// <summary>Makes the proposal ready for reuse (clears buffers, arms a new completion).</summary>
    internal void Reset(ProposalKind kind, RespVersion version)
    {
        Payload.Clear();
        Reply.Clear();
        Payload.ShrinkTo(64 * 1024);
        _spare?.ShrinkTo(64 * 1024);
        Reply.ShrinkTo(64 * 1024);
        Kind = kind;
        ReplyVersion = version;
        Index = 0;
        InSession = false;
        Session = null;
        Sequence = 0;
        RetryDeadline = 0;
        MayHaveBeenApplied = false;
        NextInChain = null;
        _completion.Reset();
    }

    /// <summary>Numbers the write in <paramref name="session"/>, so that retrying it can never apply it twice.</summary>
    internal void JoinSession(ForwardSession session)
    {
        var fields = session.Next(ReplyVersion);
        _spare ??= new PooledBufferWriter(256);
        _spare.Clear();
        WriteEntryWriter.AddSession(Payload.WrittenSpan, fields, _spare);
        (Payload, _spare) = (_spare, Payload);
        InSession = true;
        Session = session;
        Sequence = fields.Sequence;
    }

    /// <summary>The next proposal of the chain this one was proposed in (<see cref="RaftHost.ProposeChain"/>).</summary>
    internal Proposal? NextInChain { get; set; }

    IProposal? IProposal.NextInChain => NextInChain;

    /// <summary>The log this proposal was rented from; told when the host gives the proposal back unapplied.</summary>
    internal IProposalOwner? Owner { get; set; }

    /// <summary>
    /// The entry as the leader appends it: a copy of the payload (the log keeps it for good, the pooled
    /// buffer is reused) stamped with the leader's clock, so TTLs are decided by the leader's time
    /// whichever node encoded the command.
    /// </summary>
    public ReadOnlyMemory<byte> BuildEntry(long leaderTimeMs, EntryArena arena)
    {
        var payload = Payload.WrittenSpan;
        var entry = arena.Allocate(payload.Length);
        payload.CopyTo(entry.Span);
        if (entry.Length >= TimestampOffset + sizeof(long))
        {
            BinaryPrimitives.WriteInt64LittleEndian(entry.Span[TimestampOffset..], leaderTimeMs);
        }
        return entry;
    }

    /// <summary>
    /// Adds a write of the same connection to this proposal's entry, making it a batch (one log entry,
    /// the replies in order): true if it did, false (nothing changed) once the entry holds
    /// <paramref name="maxBytes"/> or is not a plain command entry.
    /// </summary>
    public bool TryAddToBatch(CommandArgs args, int maxBytes)
    {
        if (Kind != ProposalKind.Command || InSession || Payload.WrittenCount + args.ByteCount > maxBytes
            || !WriteEntryWriter.MakeBatch(Payload.WrittenSpanToChange))
        {
            return false;
        }
        WriteEntryWriter.AppendToBatch(args, Payload);
        return true;
    }

    public void Appended(ulong index)
    {
        Index = index;
        MayHaveBeenApplied = true;
    }

    public void Abandon(ProposalAbandoned reason, ulong leaderId)
    {
        if (Owner is { } owner)
        {
            owner.Abandoned(this, reason, leaderId);
        }
        else
        {
            Fail(new LogUnavailableException(ReplicationErrors.Describe(reason, leaderId)));
        }
    }

    internal void Complete()
    {
        Session?.Settle(Sequence);
        _completion.SetResult(true);
    }

    internal void Fail(Exception error)
    {
        Session?.Settle(Sequence);
        _completion.SetException(error);
    }

    /// <summary>The version of the current completion: what <see cref="Completion"/> and <see cref="TryGetResult"/> name.</summary>
    internal short CompletionVersion => _completion.Version;

    /// <summary>
    /// True when the completion of version <paramref name="version"/> has succeeded, consuming it as
    /// awaiting <see cref="Completion"/> would; false while it is pending. A failure throws, as awaiting would.
    /// Cheaper than awaiting an already completed <see cref="ValueTask"/>.
    /// </summary>
    internal bool TryGetResult(short version)
    {
        if (_completion.GetStatus(version) == ValueTaskSourceStatus.Pending)
        {
            return false;
        }
        _completion.GetResult(version);
        return true;
    }

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        _resume.Capture(continuation, state);
        _completion.OnCompleted(static self => ((Proposal)self!)._resume.Resume(), this, token, ValueTaskSourceOnCompletedFlags.None);
    }

    public void Dispose()
    {
        Payload.Dispose();
        _spare?.Dispose();
        Reply.Dispose();
    }
}
