using Dst.Testing.Linearizability;

namespace Dst.Raft.Tests.Simulation;

/// <summary>
/// Clients issuing puts and gets against whichever node they pick, one operation at a time each,
/// recording a history for the linearizability checker. A put whose answer never comes (node crash,
/// lost proposal, timeout) is recorded with an unknown outcome; a get without an answer is dropped
/// (it observed nothing). <c>unsafeLocalReads</c> breaks reads on purpose (served from the
/// local replica) to show the checker catches stale reads.
/// </summary>
public sealed class SimClients(SeededRandom random, int clientCount, int keyCount, long timeout, bool unsafeLocalReads)
{
    private sealed class Pending
    {
        public required KvInput Input { get; init; }
        public required ulong OpId { get; init; }
        public required ulong NodeId { get; init; }
        public required int Incarnation { get; init; }
        public required long Call { get; init; }
    }

    private readonly Pending?[] _pending = new Pending?[clientCount];
    private readonly List<Operation<KvInput, ulong>> _history = [];
    private ulong _nextOpId = 1;

    public IReadOnlyList<Operation<KvInput, ulong>> History => _history;

    public int Completed { get; private set; }

    public void Step(long now, IReadOnlyList<SimNode> nodes, Action<SimNode> handleReadies)
    {
        for (var client = 0; client < _pending.Length; client++)
        {
            var pending = _pending[client];
            if (pending is null)
            {
                if (random.Next(100) < 20)
                {
                    Invoke(client, now, nodes, handleReadies);
                }
                continue;
            }
            var node = nodes.First(n => n.Id == pending.NodeId);
            if (!node.IsUp || node.Incarnation != pending.Incarnation || now - pending.Call > timeout)
            {
                Abandon(client, pending);
                continue;
            }
            if (pending.Input.Kind == KvOperationKind.Put)
            {
                if (node.Machine.HasApplied(pending.OpId))
                {
                    Complete(client, pending, 0, now);
                }
            }
            else if (node.ReadPoints.TryGetValue(pending.OpId, out var readIndex) && node.AppliedIndex >= readIndex)
            {
                Complete(client, pending, node.Machine.Get(KeyByte(pending.Input.Key)), now);
            }
        }
    }

    /// <summary>Every operation still waiting becomes unknown (puts) or is dropped (gets).</summary>
    public void AbandonAll()
    {
        for (var client = 0; client < _pending.Length; client++)
        {
            if (_pending[client] is { } pending)
            {
                Abandon(client, pending);
            }
        }
    }

    private void Invoke(int client, long now, IReadOnlyList<SimNode> nodes, Action<SimNode> handleReadies)
    {
        var up = nodes.Where(n => n.IsUp).ToList();
        if (up.Count == 0)
        {
            return;
        }
        var node = up[random.Next(up.Count)];
        var key = $"k{random.Next(keyCount)}";
        var opId = _nextOpId++;
        KvInput input;
        if (random.Next(2) == 0)
        {
            input = new KvInput(KvOperationKind.Put, key, opId);
            var result = node.Raw!.Propose(KvStateMachine.EncodePut(opId, KeyByte(key), opId));
            if (result != ProposalResult.Accepted)
            {
                return; // definitely not appended: not part of the history
            }
        }
        else
        {
            input = new KvInput(KvOperationKind.Get, key);
            if (unsafeLocalReads)
            {
                // Deliberately broken: answer from local state without asking the leader.
                _history.Add(Operation<KvInput, ulong>.Completed(client, input, now, node.Machine.Get(KeyByte(key)), now));
                return;
            }
            node.Raw!.ReadIndex(opId);
        }
        _pending[client] = new Pending { Input = input, OpId = opId, NodeId = node.Id, Incarnation = node.Incarnation, Call = now };
        handleReadies(node);
    }

    private void Complete(int client, Pending pending, ulong output, long now)
    {
        _history.Add(Operation<KvInput, ulong>.Completed(client, pending.Input, pending.Call, output, now));
        _pending[client] = null;
        Completed++;
    }

    private void Abandon(int client, Pending pending)
    {
        if (pending.Input.Kind == KvOperationKind.Put)
        {
            _history.Add(Operation<KvInput, ulong>.Unknown(client, pending.Input, pending.Call));
        }
        _pending[client] = null;
    }

    private static byte KeyByte(string key) => (byte)(key[1] - '0');
}
