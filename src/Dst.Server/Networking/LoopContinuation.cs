namespace Dst.Server.Networking;

/// <summary>
/// The continuation of something a connection awaits that completes on the Raft loop (a write, a read
/// barrier). The Raft loop must not run connection code, so it hands the continuation to the event
/// loop that awaited (one wake-up serves a whole round of completions), or to the thread pool when the
/// awaiting code was not on an event loop.
/// </summary>
internal struct LoopContinuation
{
    private EventLoop? _loop;
    private Action<object?>? _continuation;
    private object? _state;

    /// <summary>Remembers the continuation and the event loop of the awaiting thread, if any.</summary>
    public void Capture(Action<object?> continuation, object? state)
    {
        _loop = EventLoop.Current;
        _continuation = continuation;
        _state = state;
    }

    /// <summary>Schedules the captured continuation; the fields are cleared first, as it may await again at once.</summary>
    public void Resume()
    {
        var (loop, continuation, state) = (_loop, _continuation!, _state);
        (_loop, _continuation, _state) = (null, null, null);
        EventLoop.Resume(loop, continuation, state);
    }
}
