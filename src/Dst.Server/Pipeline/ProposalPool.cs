using System.Collections.Concurrent;

namespace Dst.Server.Pipeline;

/// <summary>
/// A bounded pool of proposals shared by all connections; beyond the bound, extras are dropped to the GC.
/// A connection rents and returns its proposals on its own event loop thread, so each thread keeps a
/// small stack in front of the shared queue (shared by every pool in the process: a proposal is reset
/// and given its owner at each rent), so most rents and returns take no interlocked operation.
/// </summary>
public sealed class ProposalPool
{
    private const int MaxPooled = 16 * 1024;
    private const int MaxPerThread = 256;

    [ThreadStatic]
    private static Stack<Proposal>? t_local;

    private readonly ConcurrentQueue<Proposal> _free = new();
    private int _count;

    public Proposal Rent()
    {
        if (t_local is { Count: > 0 } local)
        {
            return local.Pop();
        }
        return _free.TryDequeue(out var proposal) ? Taken(proposal) : new Proposal();
    }

    public void Return(Proposal proposal)
    {
        var local = t_local ??= new Stack<Proposal>(MaxPerThread);
        if (local.Count < MaxPerThread)
        {
            local.Push(proposal);
            return;
        }
        if (Interlocked.Increment(ref _count) > MaxPooled)
        {
            Interlocked.Decrement(ref _count);
            proposal.Dispose();
            return;
        }
        _free.Enqueue(proposal);
    }

    private Proposal Taken(Proposal proposal)
    {
        Interlocked.Decrement(ref _count);
        return proposal;
    }
}
