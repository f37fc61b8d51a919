namespace Dst.Server.Replication;

/// <summary>
/// The timestamps a leader stamps on entries: its wall clock, but never behind the previous stamp, so
/// time as the state machine sees it only moves forward even when the system clock steps back.
/// </summary>
internal static class LeaderClock
{
    private static long s_last;

    public static long Next()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        while (true)
        {
            var last = Volatile.Read(ref s_last);
            var next = Math.Max(now, last);
            if (Interlocked.CompareExchange(ref s_last, next, last) == last)
            {
                return next;
            }
        }
    }
}
