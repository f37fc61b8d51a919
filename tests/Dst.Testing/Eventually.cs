namespace Dst.Testing;

/// <summary>
/// Waits for a condition instead of sleeping for a guessed time. Deadlines are generous because
/// the tests run on a loaded 2-core machine; they bound a failure, they never pace a success.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public static Task UntilAsync(Func<bool> condition, string description, TimeSpan? deadline = null) =>
        UntilAsync(() => Task.FromResult(condition()), description, deadline);

    public static async Task UntilAsync(Func<Task<bool>> condition, string description, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        var started = DateTime.UtcNow;
        while (!await condition())
        {
            if (DateTime.UtcNow - started > limit)
            {
                throw new TimeoutException($"waited {limit.TotalSeconds:0} s for: {description}");
            }
            await Task.Delay(PollInterval);
        }
    }
}
