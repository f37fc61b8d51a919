using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// gc-watch PID SECONDS: watches a running .NET process (dst-server) over EventPipe for SECONDS and prints
// every garbage collection (generation, the runtime's reason, pause, what it promoted) as it happens, then what was
// allocated by type, from the runtime's allocation ticks (one about every 100 KB allocated).
if (args.Length != 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var pid) || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var seconds))
{
    Console.Error.WriteLine("usage: gc-watch PID SECONDS");
    return 2;
}

var providers = new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC) };
using var session = new DiagnosticsClient(pid).StartEventPipeSession(providers, requestRundown: false);
_ = Task.Delay(TimeSpan.FromSeconds(seconds)).ContinueWith(_ => session.Stop(), TaskScheduler.Default);

using var source = new EventPipeEventSource(session.EventStream);
var small = new Dictionary<string, long>();
var large = new Dictionary<string, long>();
var startedAt = 0.0;
var paused = 0.0;
source.Clr.GCStart += e =>
{
    startedAt = e.TimeStampRelativeMSec;
    Console.WriteLine($"{e.TimeStampRelativeMSec,9:F0} ms  GC #{e.Count}: gen {e.Depth}, reason {e.Reason}, {e.Type}");
};
source.Clr.GCStop += e =>
{
    paused += e.TimeStampRelativeMSec - startedAt;
    Console.WriteLine($"{e.TimeStampRelativeMSec,9:F0} ms    ended after {e.TimeStampRelativeMSec - startedAt:F1} ms");
};
// What each collection kept: bytes promoted out of gen 0 and gen 1, and the generations' sizes after it.
source.Clr.GCHeapStats += e =>
    Console.WriteLine($"{e.TimeStampRelativeMSec,9:F0} ms    promoted gen0 {e.TotalPromotedSize0 / 1024} KiB, gen1 {e.TotalPromotedSize1 / 1024} KiB; sizes gen0 {e.GenerationSize0 / 1024} KiB, gen1 {e.GenerationSize1 / 1024} KiB, gen2 {e.GenerationSize2 / 1024} KiB, loh {e.GenerationSize3 / 1024} KiB");
source.Clr.GCAllocationTick += e =>
{
    var byType = e.AllocationKind == GCAllocationKind.Large ? large : small;
    byType[e.TypeName] = byType.GetValueOrDefault(e.TypeName) + e.AllocationAmount64;
};
source.Process();

Console.WriteLine($"collections took {paused:F0} ms in {seconds} s");
Print("small-object allocations by type", small);
Print("large-object allocations by type", large);
return 0;

static void Print(string title, Dictionary<string, long> byType)
{
    Console.WriteLine($"{title}:");
    foreach (var (type, bytes) in byType.OrderByDescending(p => p.Value).Take(12))
    {
        Console.WriteLine($"  {bytes / 1024,10} KiB  {type}");
    }
}
