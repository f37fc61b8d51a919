using Dst.Commands.Transactions;
using Dst.Server.PubSub;

namespace Dst.Server.Blocking;

/// <summary>
/// Clients parked on keys by a blocking command (BLPOP, BLMOVE, BZPOPMIN, ...), in FIFO order per key.
/// The apply path tells it of every written key (<see cref="IKeyWriteObserver"/>); each write wakes
/// the first parked waiter on that key, which retries its command as a new log entry. A retry that
/// pops writes the key again and so wakes the next waiter; a retry that finds nothing parks again
/// in its old place. A woken waiter that gives up (timeout, disconnect) passes the wake-up on, so
/// no write is lost on the way. Nothing polls: a waiter sleeps until a write, its timeout or its
/// client's disconnect, or a CLIENT UNBLOCK from another connection.
/// </summary>
public sealed class BlockedClients : IKeyWriteObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<byte[], LinkedList<Waiter>> _byKey = new(ByteKeyComparer.Instance);
    private readonly Dictionary<long, Waiter> _byClient = [];
    private volatile int _waiters;

    public int Count => _waiters;

    /// <summary>Registers (or re-parks) <paramref name="waiter"/>; returns the task its wake-up completes.</summary>
    public Task Park(Waiter waiter, KeyModifications modifications, ulong attemptIndex)
    {
        Task signal;
        lock (_gate)
        {
            signal = waiter.Arm();
            if (waiter.Nodes.Count == 0)
            {
                foreach (var key in waiter.Keys)
                {
                    if (!_byKey.TryGetValue(key, out var queue))
                    {
                        queue = new LinkedList<Waiter>();
                        _byKey.Add(key, queue);
                    }
                    waiter.Nodes.Add(queue.AddLast(waiter));
                }
                _byClient[waiter.ClientId] = waiter;
                _waiters++;
            }
        }
        // A write applied between the attempt and this registration found nobody to wake: look for it.
        foreach (var key in waiter.Keys)
        {
            if (modifications.WrittenSince(key, attemptIndex))
            {
                lock (_gate)
                {
                    waiter.Wake();
                }
                break;
            }
        }
        return signal;
    }

    /// <summary>The waiter is done (served, failed, timed out, disconnected). If it had been woken, the wake-up goes to the next in line.</summary>
    public void Remove(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Nodes.Count == 0)
            {
                return;
            }
            var passOn = waiter.IsWoken;
            for (var i = 0; i < waiter.Nodes.Count; i++)
            {
                var node = waiter.Nodes[i];
                var queue = node.List!;
                queue.Remove(node);
                if (queue.Count == 0)
                {
                    _byKey.Remove(waiter.Keys[i]);
                }
                else if (passOn)
                {
                    WakeFirstParked(queue);
                }
            }
            waiter.Nodes.Clear();
            _byClient.Remove(waiter.ClientId);
            _waiters--;
        }
    }

    /// <summary>
    /// CLIENT UNBLOCK: ends the wait of client <paramref name="clientId"/> as a timeout would, or with
    /// the UNBLOCKED error. False when that client is not parked, or a write already woke it: its retry
    /// is on its way through the log, as in Redis a client served by a push is no longer blocked.
    /// </summary>
    public bool Unblock(long clientId, bool withError)
    {
        lock (_gate)
        {
            if (!_byClient.TryGetValue(clientId, out var waiter) || waiter.IsWoken || waiter.Unblocked != UnblockReason.None)
            {
                return false;
            }
            waiter.Unblock(withError ? UnblockReason.Error : UnblockReason.Timeout);
            return true;
        }
    }

    public void KeyWritten(ReadOnlySpan<byte> key, ulong index)
    {
        if (_waiters == 0)
        {
            return;
        }
        lock (_gate)
        {
            if (_byKey.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out var queue))
            {
                WakeFirstParked(queue);
            }
        }
    }

    public void EverythingWritten(ulong index)
    {
        if (_waiters == 0)
        {
            return;
        }
        lock (_gate)
        {
            foreach (var queue in _byKey.Values)
            {
                foreach (var waiter in queue)
                {
                    waiter.Wake();
                }
            }
        }
    }

    private static void WakeFirstParked(LinkedList<Waiter> queue)
    {
        foreach (var waiter in queue)
        {
            if (!waiter.IsWoken)
            {
                waiter.Wake();
                return;
            }
        }
    }
}

/// <summary>One blocked command: its keys, its place in each key's queue, and its wake-up signal. Guarded by <see cref="BlockedClients"/>' lock.</summary>
public sealed class Waiter(long clientId, byte[][] keys)
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long ClientId { get; } = clientId;

    public byte[][] Keys { get; } = keys;

    /// <summary>Set by CLIENT UNBLOCK: the wait is over, and how the blocked command must answer.</summary>
    public UnblockReason Unblocked { get; private set; }

    internal List<LinkedListNode<Waiter>> Nodes { get; } = [];

    /// <summary>Woken and not yet parked again: its retry is on its way through the log.</summary>
    public bool IsWoken { get; private set; }

    internal Task Arm()
    {
        IsWoken = false;
        if (_signal.Task.IsCompleted)
        {
            _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return _signal.Task;
    }

    internal void Unblock(UnblockReason reason)
    {
        Unblocked = reason;
        _signal.TrySetResult();
    }

    internal void Wake()
    {
        IsWoken = true;
        _signal.TrySetResult();
    }
}

/// <summary>How CLIENT UNBLOCK ended a wait: as the command's timeout (the default), or with an error.</summary>
public enum UnblockReason
{
    None,
    Timeout,
    Error,
}
