using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Dst.Server.Options;

namespace Dst.Server;

/// <summary>
/// <c>dst-server --dev-cluster N --port P --dir D</c>: a cluster to try out on one machine. Starts N
/// dst-server processes (this same program) as nodes 1..N on ports P..P+N-1 with data in D/node-i,
/// founding one group with a random cluster secret, and forwards every other option to each of them.
/// Ctrl-C (or SIGTERM) stops them all; the command exits once every node has.
/// </summary>
internal static partial class DevCluster
{
    private const int SigTerm = 15;

    /// <summary>Options that are per node, or that only mean something to this launcher.</summary>
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "dev-cluster", "port", "dir", "node-id", "peers", "cluster-secret", "cluster-port", "join",
    };

    public static async Task<int> RunAsync(ServerOptions options)
    {
        var count = options.DevCluster;
        if (options.Port + count - 1 > 65535 - 10000)
        {
            await Console.Error.WriteLineAsync($"dst-server: ports {options.Port}..{options.Port + count - 1} leave no room for cluster ports (+10000)").ConfigureAwait(false);
            return 1;
        }
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var peers = string.Join(',', Enumerable.Range(1, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i}@127.0.0.1:{options.Port + i - 1}")));
        var shared = ForwardedArguments(options);
        var nodes = new List<Process>();
        for (var i = 1; i <= count; i++)
        {
            var port = options.Port + i - 1;
            var start = SelfStartInfo();
            foreach (var argument in shared)
            {
                start.ArgumentList.Add(argument);
            }
            foreach (var argument in new[]
            {
                "--port", port.ToString(CultureInfo.InvariantCulture),
                "--dir", Path.Combine(options.Dir, string.Create(CultureInfo.InvariantCulture, $"node-{i}")),
                "--node-id", i.ToString(CultureInfo.InvariantCulture),
                "--peers", peers,
                "--cluster-secret", secret,
            })
            {
                start.ArgumentList.Add(argument);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a node");
            nodes.Add(process);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"node {i} pid {process.Id} port {port}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dev cluster of {count} nodes: redis-cli -p {options.Port}; Ctrl-C stops them all"));
        void StopAll(PosixSignalContext context)
        {
            context.Cancel = true;
            foreach (var node in nodes.Where(node => !node.HasExited))
            {
                _ = Kill(node.Id, SigTerm);
            }
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopAll);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopAll);
        await Task.WhenAll(nodes.Select(async (node, i) =>
        {
            await node.WaitForExitAsync().ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"node {i + 1} (pid {node.Id}) exited with code {node.ExitCode}"));
        })).ConfigureAwait(false);
        return nodes.All(node => node.ExitCode == 0) ? 0 : 1;
    }

    /// <summary>Every setting except the per-node ones, as <c>--name value</c> words.</summary>
    private static List<string> ForwardedArguments(ServerOptions options)
    {
        var arguments = new List<string>();
        foreach (var definition in OptionCatalog.All)
        {
            if (definition.ReadOnly || NotForwarded.Contains(definition.Name) || definition.Description.StartsWith("Alias of", StringComparison.Ordinal))
            {
                continue;
            }
            var value = definition.Get(options);
            if (value.Length == 0)
            {
                continue;
            }
            arguments.Add("--" + definition.Name);
            arguments.AddRange(definition.MultiValue ? value.Split(' ') : [value]);
        }
        return arguments;
    }

    /// <summary>How to start this program again: the apphost itself, or <c>dotnet dst-server.dll</c>.</summary>
    private static ProcessStartInfo SelfStartInfo()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this program's path");
        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            start.ArgumentList.Add(typeof(DevCluster).Assembly.Location);
        }
        return start;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
