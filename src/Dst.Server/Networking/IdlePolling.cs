namespace Dst.Server.Networking;

/// <summary>
/// Decides whether an event loop that ran out of work polls before it sleeps (see
/// <see cref="EventLoop"/>): only while its waits for the next event averaged under the poll
/// window. Waits are counted in Stopwatch ticks and capped at eight windows, so one long sleep
/// turns polling off (7/8 of the average plus a whole window) and a few short waits in a row
/// turn it back on. It starts off, as for an idle loop.
/// </summary>
internal struct IdlePolling(long windowTicks)
{
    private long _averageWaitTicks = 8 * windowTicks;

    /// <summary>How long to poll at most before sleeping.</summary>
    public readonly long WindowTicks => windowTicks;

    public readonly bool ShouldPoll => _averageWaitTicks < windowTicks;

    /// <summary>Counts one wait, from running out of work to the next event, polls and sleep included.</summary>
    public void Record(long waitedTicks) =>
        _averageWaitTicks += (Math.Min(waitedTicks, 8 * windowTicks) - _averageWaitTicks) / 8;
}
