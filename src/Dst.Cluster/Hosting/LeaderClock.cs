namespace Dst.Cluster.Hosting;

/// <summary>
/// The timestamps a leader stamps on entries: its wall clock, but never behind the previous stamp, so
/// time as the state machine sees it only moves forward even when the system clock steps back. Read
/// only by whoever holds the host's turn.
/// </summary>
internal sealed class LeaderClock
{
    private long _last;

    public long Next()
    {
        _last = Math.Max(_last, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return _last;
    }
}
