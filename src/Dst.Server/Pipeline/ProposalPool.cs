using System.Collections.Concurrent;

namespace Dst.Server.Pipeline;

/// <summary>A bounded pool of proposals shared by all connections; beyond the bound, extras are dropped to the GC.</summary>
public sealed class ProposalPool
{
    private const int MaxPooled = 16 * 1024;

    private readonly ConcurrentQueue<Proposal> _free = new();
    private int _count;

    public Proposal Rent() => _free.TryDequeue(out var proposal) ? Taken(proposal) : new Proposal();

    public void Return(Proposal proposal)
    {
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
