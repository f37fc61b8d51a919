using Dst.Cluster.Transport;
using Dst.Raft;

namespace Dst.Cluster.Tests.Support;

/// <summary>
/// Records what a transport delivers and lets a test wait, without polling, until a condition on
/// the record holds. An optional gate blocks delivery, to stall the receiving side on purpose.
/// </summary>
internal sealed class RecordingHandler : IClusterMessageHandler
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<GroupMessage> _messages = [];
    private readonly List<ulong> _unreachable = [];
    private readonly SemaphoreSlim _changed = new(0);

    /// <summary>When set, every delivery waits for it: the receiving connection stops reading.</summary>
    public ManualResetEventSlim? DeliveryGate { get; set; }

    public void OnMessage(ulong groupId, in Message message)
    {
        DeliveryGate?.Wait();
        lock (_gate)
        {
            _messages.Add(new GroupMessage(groupId, message));
        }
        _changed.Release();
    }

    public void OnPeerUnreachable(ulong nodeId)
    {
        lock (_gate)
        {
            _unreachable.Add(nodeId);
        }
        _changed.Release();
    }

    public List<GroupMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public List<ulong> Unreachable
    {
        get
        {
            lock (_gate)
            {
                return [.. _unreachable];
            }
        }
    }

    public Task<List<GroupMessage>> WaitForMessagesAsync(int count) =>
        WaitUntilAsync(() => Messages is { } messages && messages.Count >= count ? messages : null, $"{count} messages");

    public Task WaitForUnreachableAsync(ulong nodeId) =>
        WaitUntilAsync(() => Unreachable.Contains(nodeId) ? this : null, $"node {nodeId} reported unreachable");

    private async Task<T> WaitUntilAsync<T>(Func<T?> probe, string what)
        where T : class
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            if (probe() is { } result)
            {
                return result;
            }
            try
            {
                await _changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
        }
    }
}
