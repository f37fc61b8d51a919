using System.Runtime.CompilerServices;
using Dst.Cluster.Slots;
using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Networking;
using Dst.Server.Options;
using Dst.Server.Pipeline;
using Dst.Server.Replication;
using Dst.Server.Transactions;

namespace Dst.Server.Dispatch;

/// <summary>
/// Routes one parsed request, checking in Redis's order: the command exists, the arity fits,
/// the client is authenticated (unless the command is allowed before AUTH). Then server commands
/// are answered here, writes are proposed to the log without waiting, and reads run against the
/// applied state once this connection's earlier writes have been applied.
/// </summary>
public static class CommandDispatcher
{
    public const string NoAuth = "NOAUTH Authentication required.";

    /// <summary>
    /// Runs one request. Writes and reads that need nothing awaited (no earlier write of this connection
    /// in flight, the read barrier passed) complete synchronously: running every request through the
    /// async path below took about 2% more of the server's CPU under HSET -P 16 (perf samples).
    /// </summary>
    public static ValueTask ExecuteAsync(ClientConnection client, CommandArgs args)
    {
        var server = client.Server;
        var spec = server.Commands.Lookup(args[0]);
        if (spec is null || !CommandArity.Check(spec, args) || NeedsAuth(client, spec) || ConnectionModes.Intercepts(client, spec))
        {
            return ExecuteInOrderAsync(client, spec, args);
        }
        client.LastCommand = spec.Name;
        if (!spec.IsServer && server.Options.Routing == Routing.Redirect && LeaderElsewhere(client, spec, args))
        {
            return ValueTask.CompletedTask;
        }
        if (spec.IsWrite && !spec.IsServer)
        {
            if (!AnsweredUnchanged(client, spec, args))
            {
                ProposeWrite(client, args);
            }
            return ValueTask.CompletedTask;
        }
        if (spec.Name == ForwardedWrite)
        {
            // A follower's forwarded write queues behind this connection's other writes, unawaited.
            return server.ServerCommands.ExecuteAsync(spec, client, args);
        }
        if (spec.IsServer || client.HasPendingWrites || !client.ReadBarrierPassed)
        {
            return ExecuteInOrderAsync(client, spec, args);
        }
        ExecuteRead(client, spec, args);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The paths that wait: refusals and intercepted commands, server commands and reads, each after the
    /// connection's earlier writes have applied; a read also after the read barrier.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask ExecuteInOrderAsync(ClientConnection client, CommandSpec? spec, CommandArgs args)
    {
        await client.DrainPendingAsync().ConfigureAwait(false);
        if (spec is null)
        {
            CommandErrors.WriteUnknownCommand(client.Reply, args);
            ConnectionModes.CommandRefused(client);
            return;
        }
        client.LastCommand = spec.Name;
        if (!CommandArity.Check(spec, args))
        {
            if (spec.Name == "exec")
            {
                ConnectionModes.ExecRefused(client, CommandErrors.WrongArity(spec.Name));
                return;
            }
            CommandErrors.WriteWrongArity(client.Reply, spec);
            ConnectionModes.CommandRefused(client);
            return;
        }
        if (NeedsAuth(client, spec))
        {
            client.Reply.WriteError(NoAuth);
            return;
        }
        if (ConnectionModes.Intercepts(client, spec))
        {
            await ConnectionModes.ExecuteAsync(client, spec, args).ConfigureAwait(false);
            return;
        }
        if (spec.IsServer)
        {
            await client.Server.ServerCommands.ExecuteAsync(spec, client, args).ConfigureAwait(false);
            return;
        }
        if (!client.ReadBarrierPassed)
        {
            try
            {
                client.ForgetReadClock();
                await client.Server.CommandLog.ReadBarrierAsync().ConfigureAwait(false);
            }
            catch (LogUnavailableException e)
            {
                client.Reply.WriteError(e.Message);
                return;
            }
            client.ReadBarrierPassed = true;
        }
        ExecuteRead(client, spec, args);
    }

    private static bool NeedsAuth(ClientConnection client, CommandSpec spec) =>
        !client.Authenticated && (spec.Flags & CommandFlags.NoAuth) == 0 && client.Server.Options.RequirePass is not null;

    private static void ExecuteRead(ClientConnection client, CommandSpec spec, CommandArgs args)
    {
        var stateMachine = client.Server.StateMachine;
        lock (stateMachine.SyncRoot)
        {
            stateMachine.ExecuteRead(spec, args, client.ReadClockMs(), client.Reply);
        }
    }

    private const string ForwardedWrite = "dst.propose";

    /// <summary>A batch entry stops growing at this size (a pipelined batch of small writes fits; big values go alone).</summary>
    private const int MaxBatchBytes = 16 * 1024;

    /// <summary>
    /// Redirect routing on a follower: a write, or a read from a connection that did not send READONLY,
    /// gets <c>-MOVED slot leader</c> (or CLUSTERDOWN without a leader) and true; false to go on here.
    /// </summary>
    private static bool LeaderElsewhere(ClientConnection client, CommandSpec spec, CommandArgs args)
    {
        var commandLog = client.Server.CommandLog;
        if (commandLog.IsLeader || (!spec.IsWrite && client.ReadOnlyMode))
        {
            return false;
        }
        var status = client.Server.Node!.Group.Status;
        if (status.LeaderAddress is not { } leader)
        {
            client.Reply.WriteError(ReplicationErrors.NoLeader);
            return true;
        }
        var slot = spec.FirstKey > 0 && spec.FirstKey < args.Count ? HashSlot.Of(args[spec.FirstKey]) : 0;
        client.Reply.WriteError($"MOVED {slot} {leader.ClientEndPoint}");
        return true;
    }

    /// <summary>
    /// A write that would change nothing is answered like a read, with no log entry, as Redis leaves
    /// such writes out of its AOF: one that changes nothing without its keys (LPOP, SREM, EXPIRE, ...;
    /// <see cref="CommandFlags.NoOpWithoutKeys"/>) finding them all missing, or one whose
    /// <see cref="CommandSpec.WouldChangeNothing"/> says so (SADD of members already there). Only where
    /// linearizable reads need no round trip, and only with none of the connection's writes in flight,
    /// so the answer is ordered after everything it must see.
    /// </summary>
    private static bool AnsweredUnchanged(ClientConnection client, CommandSpec spec, CommandArgs args)
    {
        var server = client.Server;
        if (((spec.Flags & CommandFlags.NoOpWithoutKeys) == 0 && spec.WouldChangeNothing is null)
            || client.HasPendingWrites || !server.CommandLog.ServesLocalReads)
        {
            return false;
        }
        var stateMachine = server.StateMachine;
        lock (stateMachine.SyncRoot)
        {
            return stateMachine.TryExecuteUnchanged(spec, args, client.ReadClockMs(), client.Reply);
        }
    }

    /// <summary>
    /// Encodes the write (the leader stamps its time) and queues it on the connection; the connection
    /// proposes its queued writes together and collects their replies in order. On the leader, a write
    /// that follows another still queued joins its entry (a batch) while that holds under
    /// <see cref="MaxBatchBytes"/>: the log's and Raft's work per entry is then paid once per pipelined
    /// batch: a write's server CPU fell 10-17% at -P 16, and SET -P 64 went from 0.66-0.71 of
    /// redis-server's rate to 1.04-1.11 (bench/README.md, session 14).
    /// </summary>
    private static void ProposeWrite(ClientConnection client, CommandArgs args)
    {
        if (client.Session is null && client.LastUnproposedWrite is { } queued && client.Server.CommandLog.IsLeader
            && queued.TryAddToBatch(args, MaxBatchBytes))
        {
            return;
        }
        var proposal = client.Server.CommandLog.Rent(ProposalKind.Command, client.Protocol);
        var session = client.NextWriteSession();
        StateMachine.EncodeCommand(args, Proposal.StampedByLeader, proposal.Payload, session);
        proposal.InSession = session.ClientId != 0;
        client.AddPendingWrite(proposal);
    }
}
