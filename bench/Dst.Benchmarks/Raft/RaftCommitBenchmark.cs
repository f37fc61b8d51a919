using BenchmarkDotNet.Attributes;
using Dst.Raft;

namespace Dst.Benchmarks.Raft;

/// <summary>
/// Proposals committed per second by a 3-node in-memory group: the leader receives a batch of
/// proposals, then Readies are handled and messages delivered until every entry of the batch is
/// committed and applied on the leader. One benchmark operation is one committed entry.
/// <see cref="PooledAppends"/> recycles the appends' entry arrays through an <see cref="EntryArrayPool"/>.
/// </summary>
[MemoryDiagnoser]
public class RaftCommitBenchmark
{
    private const int EntriesPerInvoke = 65_536;

    private readonly ReadOnlyMemory<byte> _payload = new byte[64];
    private InMemoryRaftGroup _group = null!;

    /// <summary>Proposals handed to the leader between two rounds of Ready handling.</summary>
    [Params(64, 512)]
    public int Batch { get; set; }

    /// <summary>Whether append messages take their entry arrays from a pool the harness returns them to.</summary>
    [Params(false, true)]
    public bool PooledAppends { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _group = new InMemoryRaftGroup(3, maxSizePerMessage: 1 << 20, PooledAppends ? new EntryArrayPool() : null);

    [Benchmark(OperationsPerInvoke = EntriesPerInvoke)]
    public ulong ProposeAndCommit()
    {
        var leader = _group.Leader;
        for (var done = 0; done < EntriesPerInvoke; done += Batch)
        {
            for (var i = 0; i < Batch; i++)
            {
                leader.Propose(_payload);
            }
            _group.Pump();
        }
        _group.Compact(keep: 1024);
        return _group.LeaderApplied;
    }
}
