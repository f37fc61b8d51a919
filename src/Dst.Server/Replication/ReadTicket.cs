using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using Dst.Cluster.Hosting;
using Dst.Server.Networking;
using Dst.Server.Pipeline;

namespace Dst.Server.Replication;

/// <summary>
/// A pooled read barrier: handed to the Raft host as a read request and awaited by the connection as
/// a <see cref="ValueTask"/>, so a linearizable read allocates nothing once the pool is warm.
/// </summary>
internal sealed class ReadTicket : IReadRequest, IValueTaskSource
{
    private static readonly ConcurrentQueue<ReadTicket> s_pool = new();
    // Completed on the Raft loop; the continuation runs where _resume sends it.
    private ManualResetValueTaskSourceCore<bool> _completion = new() { RunContinuationsAsynchronously = false };
    private LoopContinuation _resume;

    public static ReadTicket Rent()
    {
        var ticket = s_pool.TryDequeue(out var pooled) ? pooled : new ReadTicket();
        ticket._completion.Reset();
        return ticket;
    }

    public ValueTask Task => new(this, _completion.Version);

    public void Ready() => _completion.SetResult(true);

    public void Fail(ProposalAbandoned reason, ulong leaderId) =>
        _completion.SetException(new LogUnavailableException(ReplicationErrors.Describe(reason, leaderId)));

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _completion.GetResult(token);
        }
        finally
        {
            if (s_pool.Count < 1024)
            {
                s_pool.Enqueue(this);
            }
        }
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        _resume.Capture(continuation, state);
        _completion.OnCompleted(static self => ((ReadTicket)self!)._resume.Resume(), this, token, ValueTaskSourceOnCompletedFlags.None);
    }
}
