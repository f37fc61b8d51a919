namespace Dst.Cluster.Transport;

/// <summary>
/// Delays between reconnect attempts to one peer: exponential from <c>initial</c>, capped at
/// <c>max</c>, with "equal jitter" (half the step fixed, half random) so that nodes which lost a
/// peer at the same moment do not all redial it in lockstep.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    private int _failures;

    public TimeSpan NextDelay()
    {
        // Doubling stops once the cap is reached; the shift is bounded so it cannot overflow.
        var step = initial.Ticks << Math.Min(_failures, 30);
        var ceiling = step <= 0 || step > max.Ticks ? max.Ticks : step;
        _failures++;
        var half = ceiling / 2;
        return TimeSpan.FromTicks(half + (long)(random.NextDouble() * (ceiling - half)));
    }

    /// <summary>A connection came up: the next failure starts again from the initial delay.</summary>
    public void Reset() => _failures = 0;
}
