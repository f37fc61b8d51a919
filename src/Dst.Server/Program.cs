using Dst.Server;
using Dst.Server.Options;

// Run socket completions on the epoll thread instead of hopping to the thread pool: a request is then
// parsed, executed and answered on the thread that saw it arrive, as in an event-loop server. This
// measured 30-60% more GETs per second with redis-benchmark -P 1; set the variable to 0 to opt out.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var parsed = OptionsParser.Parse(args);
if (parsed.ShowHelp)
{
    Console.Write(HelpText.Build());
    return 0;
}
if (parsed.ShowVersion)
{
    Console.WriteLine($"dst-server v={ServerVersion.Dst} redis-compatible={ServerVersion.RedisCompatible} runtime={System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
    return 0;
}
if (parsed.Error is not null)
{
    Console.Error.WriteLine($"dst-server: {parsed.Error}");
    return 1;
}
if (parsed.Options!.DevCluster > 0)
{
    return await DevCluster.RunAsync(parsed.Options);
}
IdleHeapTrim.Start();
return await ServerHost.RunAsync(parsed.Options);

/// <summary>
/// Hands memory back to the OS once the server goes quiet after its heap has grown (a bulk load,
/// recovery, a snapshot install). The GC keeps the free regions and gen0 budget such a burst leaves
/// behind; one aggressive compacting collection while idle releases them: a 1,000,000-key load
/// measured 149 MiB VmRSS before it and 133 MiB after (bench/README.md). Busy servers never pay for
/// it, and it runs again only after the heap grows by another <see cref="GrowthWorthTrimmingBytes"/>.
/// </summary>
file static class IdleHeapTrim
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private const long IdleBelowAllocatedBytes = 1L << 20;
    private const long GrowthWorthTrimmingBytes = 32L << 20;

    private static long s_allocatedAtLastCheck;
    private static long s_heapAfterLastTrim;
    private static Timer? s_timer; // a static root: an unreferenced Timer is collected and stops firing

    public static void Start()
    {
        s_allocatedAtLastCheck = GC.GetTotalAllocatedBytes();
        s_heapAfterLastTrim = GC.GetTotalMemory(forceFullCollection: false);
        s_timer = new Timer(_ => Check(), null, CheckEvery, CheckEvery);
    }

    private static void Check()
    {
        long allocated = GC.GetTotalAllocatedBytes();
        bool idle = allocated - s_allocatedAtLastCheck < IdleBelowAllocatedBytes;
        s_allocatedAtLastCheck = allocated;
        if (!idle || GC.GetTotalMemory(forceFullCollection: false) - s_heapAfterLastTrim < GrowthWorthTrimmingBytes)
        {
            return;
        }
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        s_heapAfterLastTrim = GC.GetTotalMemory(forceFullCollection: false);
        s_allocatedAtLastCheck = GC.GetTotalAllocatedBytes();
    }
}
