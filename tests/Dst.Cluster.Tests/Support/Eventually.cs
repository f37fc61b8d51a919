namespace Dst.Cluster.Tests.Support;

/// <summary>
/// Waits for a condition on state that raises no event of its own (connection status, counters),
/// checking it often until a generous deadline. The outcome never depends on how long it takes.
/// </summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + RecordingHandler.Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(5);
        }
    }
}
