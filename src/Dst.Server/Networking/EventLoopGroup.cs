namespace Dst.Server.Networking;

/// <summary>The client event loops of a server (<c>io-threads</c>); connections are spread over them in turn.</summary>
public sealed class EventLoopGroup : IDisposable
{
    private readonly EventLoop[] _loops;
    private uint _next;

    public EventLoopGroup(int count, Action<Exception> onError, Func<bool>? beforeWait = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _loops = new EventLoop[count];
        for (var i = 0; i < count; i++)
        {
            _loops[i] = new EventLoop($"dst-io-{i}", onError, beforeWait);
        }
    }

    public EventLoop Next() => _loops[Interlocked.Increment(ref _next) % (uint)_loops.Length];

    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }
    }
}
