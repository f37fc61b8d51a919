using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Blocking;
using Dst.Server.Networking;

namespace Dst.Server.Transactions;

/// <summary>
/// The connection modes that change how a command is dispatched, checked after the command table,
/// arity and AUTH, in Redis's order: inside MULTI commands are queued; a RESP2 connection with
/// subscriptions may only (un)subscribe, PING, QUIT and RESET; a blocking command may park the
/// client; RESET also leaves MULTI and every subscription. A connection in none of these modes
/// pays two null checks and a flag test.
/// </summary>
public static class ConnectionModes
{
    /// <summary>True when the command must go through <see cref="ExecuteAsync"/> instead of the usual paths.</summary>
    public static bool Intercepts(ClientConnection client, CommandSpec spec) =>
        client.Transaction is { IsOpen: true }
        || (client.Subscriber is { HasSubscriptions: true } && client.Protocol == RespVersion.Resp2)
        || (spec.Flags & CommandFlags.Blocking) != 0
        || (spec.IsServer && spec.Name == "reset");

    /// <summary>Runs an intercepted command; the connection's earlier writes have been drained.</summary>
    public static ValueTask ExecuteAsync(ClientConnection client, CommandSpec spec, CommandArgs args)
    {
        if (client.Transaction is { IsOpen: true } transaction && !RunsInsideMulti(spec.Name))
        {
            TransactionCommands.Queue(client, transaction, spec, args);
            return ValueTask.CompletedTask;
        }
        if (client.Subscriber is { HasSubscriptions: true } subscriber && client.Protocol == RespVersion.Resp2)
        {
            if (spec.Name == "ping")
            {
                subscriber.WritePingReply(client.Reply, args);
                return ValueTask.CompletedTask;
            }
            if (!AllowedWhileSubscribed(spec.Name))
            {
                client.Reply.WriteError($"ERR Can't execute '{spec.Name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
                return ValueTask.CompletedTask;
            }
        }
        if (spec.Name == "reset")
        {
            client.Transaction?.Reset();
            client.Subscriber?.UnsubscribeAll();
        }
        if ((spec.Flags & CommandFlags.Blocking) != 0)
        {
            return BlockingCommand.ExecuteAsync(client, spec, args);
        }
        // Whatever is left is a server command: inside MULTI and while subscribed only those get here.
        return client.Server.ServerCommands.ExecuteAsync(spec, client, args);
    }

    /// <summary>
    /// EXEC refused (wrong arity) ends the transaction, its queued commands and its watches, inside MULTI
    /// or not, and says so with EXECABORT, as Redis's <c>execCommandAbort</c> does.
    /// </summary>
    public static void ExecRefused(ClientConnection client, string error)
    {
        client.Transaction?.Reset();
        client.Reply.WriteError($"EXECABORT Transaction discarded because of: {(error.StartsWith("ERR ", StringComparison.Ordinal) ? error[4..] : error)}");
    }

    /// <summary>A queue-time refusal (unknown command, wrong arity) inside MULTI makes EXEC abort.</summary>
    public static void CommandRefused(ClientConnection client) => client.Transaction?.MarkFailed();

    private static bool RunsInsideMulti(string name) => name is "exec" or "discard" or "multi" or "watch" or "quit" or "reset";

    private static bool AllowedWhileSubscribed(string name) =>
        name is "subscribe" or "unsubscribe" or "psubscribe" or "punsubscribe" or "quit" or "reset";
}
