using Dst.Cluster.Transport;

namespace Dst.Cluster.Tests.Transport;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(2);

    [Fact]
    public void Delays_double_with_jitter_in_the_upper_half_and_stop_at_the_cap()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new Random(1));
        var ceiling = Initial;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var delay = backoff.NextDelay();
            Assert.InRange(delay, ceiling / 2, ceiling);
            ceiling = ceiling * 2 > Max ? Max : ceiling * 2;
        }
    }

    [Fact]
    public void Reset_starts_again_from_the_initial_delay()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new Random(2));
        for (var i = 0; i < 10; i++)
        {
            backoff.NextDelay();
        }
        backoff.Reset();
        Assert.InRange(backoff.NextDelay(), Initial / 2, Initial);
    }

    [Fact]
    public void Jitter_spreads_nodes_that_failed_together()
    {
        var delays = Enumerable.Range(0, 20)
            .Select(seed => new ReconnectBackoff(Initial, Max, new Random(seed)).NextDelay())
            .Distinct()
            .Count();
        Assert.True(delays > 10, $"only {delays} distinct first delays from 20 seeds");
    }
}
