using System.Runtime.InteropServices;
using Dst.Cluster.Hosting;
using Dst.Commands;
using Dst.Server.Logging;
using Dst.Server.Networking;
using Dst.Server.Options;
using Dst.Server.Pipeline;
using Dst.Server.Replication;
using Dst.Server.ServerCommands;

namespace Dst.Server;

/// <summary>
/// Runs one server from start to exit: recover the data directory, listen, serve until SHUTDOWN or
/// SIGTERM/SIGINT, then stop accepting, close clients, snapshot (for signals), fsync and close the log.
/// </summary>
public static class ServerHost
{
    public static async Task<int> RunAsync(ServerOptions options)
    {
        ServerLog serverLog;
        try
        {
            serverLog = new ServerLog(options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"dst-server: cannot open logfile '{options.LogFile}': {e.Message}").ConfigureAwait(false);
            return 1;
        }
        using (serverLog)
        {
            serverLog.Notice($"Dst {ServerVersion.Dst} starting: pid={Environment.ProcessId}, port={options.Port}, dir={Path.GetFullPath(options.Dir)}, appendfsync={OptionCatalog.Find("appendfsync")!.Get(options)}");
            // Before the node: peers' connections are served on the client event loops too, and the
            // loops outlive the node's transport (disposed in reverse order).
            using var loops = new EventLoopGroup(options.IoThreads, e => serverLog.Warning($"Event loop: unexpected error: {e}"), RaftHost.RunDeferredPass);
            ReplicatedNode node;
            try
            {
                node = await ReplicatedNode.StartAsync(options, serverLog, loops).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Storage.StorageCorruptedException or InvalidDataException or FormatException or System.Net.Sockets.SocketException)
            {
                serverLog.Warning($"Cannot start: {e.Message}");
                return 1;
            }
            await using var nodeScope = node.ConfigureAwait(false);
            var commandLog = node.CommandLog;
            var server = new ServerContext(options, serverLog, node.StateMachine, commandLog) { Node = node };
            foreach (var missing in server.ServerCommands.MissingHandlers)
            {
                serverLog.Warning($"Server command '{missing}' has no handler; it will answer with an error");
            }
            using var listener = new Listener(server, loops);
            try
            {
                listener.Start();
            }
            catch (ListenException e)
            {
                serverLog.Warning(e.Message);
                return 1;
            }
            serverLog.Notice($"Ready to accept connections tcp on {string.Join(", ", listener.EndPoints)}");
            var expiry = new ActiveExpiry(server);
            using var signals = HandleSignals(server);
            var exitCode = await server.ShutdownRequested.Task.ConfigureAwait(false);
            await StopAsync(server, listener, expiry).ConfigureAwait(false);
            return exitCode;
        }
    }

    private static async Task StopAsync(ServerContext server, Listener listener, ActiveExpiry expiry)
    {
        await server.Node!.HandOffLeadershipAsync().ConfigureAwait(false);
        listener.Dispose();
        await expiry.DisposeAsync().ConfigureAwait(false);
        foreach (var client in server.Clients.Snapshot())
        {
            client.Kill();
        }
        server.Log.Notice("Dst is now ready to exit, bye bye...");
    }

    /// <summary>SIGTERM and SIGINT shut down like SHUTDOWN: snapshot, fsync, exit 0.</summary>
    private static IDisposable HandleSignals(ServerContext server)
    {
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            server.Log.Warning($"Received {context.Signal}, scheduling shutdown...");
            _ = Task.Run(async () =>
            {
                await PersistenceCommands.SaveBeforeExitAsync(server).ConfigureAwait(false);
                server.ShutdownRequested.TrySetResult(0);
            });
        }
        var registrations = new[]
        {
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
        };
        return new Registrations(registrations);
    }

    private sealed class Registrations(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
