using Dst.Cluster.Hosting;
using Dst.Raft;
using Dst.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dst.Cluster.Tests.Hosting;

public sealed class RaftHostTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dst-raft-host-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Writes_are_applied_once_in_log_order_and_never_before_their_entry_is_on_disk()
    {
        using var storage = DurableRaftStorage.Open(_directory);
        var addresses = new AddressBook();
        storage.Bootstrap(SnapshotEnvelope.Wrap(addresses, []), 1);
        var machine = new RecordingMachine(storage);
        using var host = new RaftHost(new RaftHostOptions { NodeId = 1 }, NullLogger.Instance);
        var group = host.AddGroup(1, storage, machine, addresses);
        host.Start();
        host.Post(group.Raw.Campaign);
        await Eventually(() => group.ServesLocalReads);
        var proposals = Enumerable.Range(0, 2000).Select(_ => new CountingProposal()).ToArray();

        // Several proposers, so proposals keep arriving while earlier rounds are on disk and committed
        // entries meet new ones in the same round. Two of them propose chains of 8, as pipelined clients do.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(first => Task.Run(() =>
        {
            for (var i = first; i < proposals.Length; i += 4 * (first < 2 ? 1 : ChainLength))
            {
                if (first < 2)
                {
                    host.Propose(group, proposals[i]);
                    continue;
                }
                var chain = Enumerable.Range(0, ChainLength).Select(k => i + 4 * k).Where(k => k < proposals.Length).Select(k => proposals[k]).ToArray();
                for (var k = 0; k + 1 < chain.Length; k++)
                {
                    chain[k].NextInChain = chain[k + 1];
                }
                host.ProposeChain(group, chain[0], chain.Length);
            }
        })));
        await Task.WhenAll(proposals.Select(p => p.Applied.Task)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, machine.AppliedBeforeDurable);
        Assert.Equal(0, machine.OutOfOrder);
        Assert.All(proposals, p => Assert.Equal(1, p.ApplyCount));
        // Each proposer's proposals, chained or not, entered the log in the order it proposed them.
        for (var first = 0; first < 4; first++)
        {
            var indexes = proposals.Where((_, i) => i % 4 == first).Select(p => p.Index).ToArray();
            Assert.Equal(indexes.Order(), indexes);
        }
    }

    private const int ChainLength = 8;

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5);
        }
    }

    /// <summary>Checks, on the loop thread, that each entry is durable and next in line when applied.</summary>
    private sealed class RecordingMachine(DurableRaftStorage storage) : IReplicatedStateMachine
    {
        // The founding snapshot holds the bootstrap membership; entries start after it.
        public ulong AppliedIndex { get; private set; } = storage.SnapshotMetadata.Index;
        public int AppliedBeforeDurable { get; private set; }
        public int OutOfOrder { get; private set; }

        public void Apply(ReadOnlySpan<CommittedEntry> committed)
        {
            foreach (var (entry, proposal) in committed)
            {
                if (entry.Index > storage.DurableIndex)
                {
                    AppliedBeforeDurable++;
                }
                if (entry.Index != AppliedIndex + 1)
                {
                    OutOfOrder++;
                }
                AppliedIndex = entry.Index;
                (proposal as CountingProposal)?.OnApplied();
            }
        }

        public ISnapshotImage CaptureSnapshot() => throw new NotSupportedException("2,000 entries take no snapshot");

        public void Restore(ulong index, ReadOnlySpan<byte> data) => throw new NotSupportedException("a one-voter group installs no snapshot");
    }

    private sealed class CountingProposal : IProposal
    {
        private static readonly byte[] Payload = [1, 2, 3];

        public TaskCompletionSource Applied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int ApplyCount;

        public ReadOnlyMemory<byte> BuildEntry(long leaderTimeMs, EntryArena arena) => Payload;

        public IProposal? NextInChain { get; set; }

        public ulong Index { get; private set; }

        public void Appended(ulong index) => Index = index;

        public void Abandon(ProposalAbandoned reason, ulong leaderId) => Applied.TrySetException(new InvalidOperationException(reason.ToString()));

        public void OnApplied()
        {
            Interlocked.Increment(ref ApplyCount);
            Applied.TrySetResult();
        }
    }
}
