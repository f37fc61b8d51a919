using Dst.Server.Networking;

namespace Dst.Server.Tests.Networking;

/// <summary>When an event loop polls before sleeping: only while its recent waits were short.</summary>
public sealed class IdlePollingTests
{
    private const long Window = 1000;

    [Fact]
    public void A_new_loop_sleeps_without_polling()
    {
        Assert.False(new IdlePolling(Window).ShouldPoll);
    }

    [Fact]
    public void Short_waits_in_a_row_turn_polling_on()
    {
        var polling = new IdlePolling(Window);
        var waits = 0;
        while (!polling.ShouldPoll)
        {
            polling.Record(Window / 10);
            Assert.True(++waits < 100, "polling never turned on");
        }
        // From its start at eight windows the average loses 1/8 of its distance a wait: 17 waits here.
        Assert.InRange(waits, 2, 20);
    }

    [Fact]
    public void One_long_sleep_turns_polling_off_however_short_the_waits_before_it()
    {
        var polling = new IdlePolling(Window);
        for (var i = 0; i < 1000; i++)
        {
            polling.Record(0);
        }
        Assert.True(polling.ShouldPoll);

        polling.Record(Window * 1_000_000);

        Assert.False(polling.ShouldPoll);
    }

    [Fact]
    public void Waits_near_the_window_keep_polling_off()
    {
        var polling = new IdlePolling(Window);
        for (var i = 0; i < 1000; i++)
        {
            polling.Record(Window + 1);
        }
        Assert.False(polling.ShouldPoll);
        Assert.Equal(Window, polling.WindowTicks);
    }
}
