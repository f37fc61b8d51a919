using System.Threading.Tasks.Sources;

namespace Dst.Server.Networking;

/// <summary>
/// A receive or send of a <see cref="LoopSocket"/> that had to wait for the socket: reused for every
/// wait, so waiting allocates nothing. Its continuation runs on the thread that completes it, which
/// for a socket event is the event loop: the connection's code then runs on its loop.
/// </summary>
internal sealed class SocketOperation : IValueTaskSource<int>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<int> _core = new() { RunContinuationsAsynchronously = false };

    /// <summary>Arms the operation for a new wait; returns the token of the ValueTask to hand out.</summary>
    public short Arm()
    {
        _core.Reset();
        return _core.Version;
    }

    public ValueTask<int> AsValueTask(short token) => new(this, token);

    public void Complete(int result) => _core.SetResult(result);

    public void Fail(Exception error) => _core.SetException(error);

    int IValueTaskSource<int>.GetResult(short token) => _core.GetResult(token);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _core.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
