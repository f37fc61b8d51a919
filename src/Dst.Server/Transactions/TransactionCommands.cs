using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Networking;
using Dst.Server.Pipeline;

namespace Dst.Server.Transactions;

/// <summary>
/// MULTI, EXEC, DISCARD, WATCH and UNWATCH. EXEC proposes the queued commands and the watched keys as
/// one multi entry; the state machine decides WATCH when it applies that entry (see docs/architecture.md),
/// so the decision is the same on every replica and on replay.
/// </summary>
public static class TransactionCommands
{
    public const string ExecAbort = "EXECABORT Transaction discarded because of previous errors.";
    public const string NotAllowed = "ERR Command not allowed inside a transaction";

    public static ValueTask Multi(ClientConnection client, CommandArgs args)
    {
        var transaction = client.Transaction ??= new TransactionState();
        if (transaction.IsOpen)
        {
            client.Reply.WriteError("ERR MULTI calls can not be nested");
            return ValueTask.CompletedTask;
        }
        transaction.Open();
        client.Reply.WriteOk();
        return ValueTask.CompletedTask;
    }

    public static ValueTask Discard(ClientConnection client, CommandArgs args)
    {
        if (client.Transaction is not { IsOpen: true } transaction)
        {
            client.Reply.WriteError("ERR DISCARD without MULTI");
            return ValueTask.CompletedTask;
        }
        transaction.Reset();
        client.Reply.WriteOk();
        return ValueTask.CompletedTask;
    }

    public static async ValueTask Exec(ClientConnection client, CommandArgs args)
    {
        if (client.Transaction is not { IsOpen: true } transaction)
        {
            client.Reply.WriteError("ERR EXEC without MULTI");
            return;
        }
        if (transaction.Failed)
        {
            transaction.Reset();
            client.Reply.WriteError(ExecAbort);
            return;
        }
        var total = transaction.QueuedCount;
        var serverCommands = transaction.TakeServerCommands();
        try
        {
            if (serverCommands.Count > 0 && transaction.Builder.CommandCount == 0 && transaction.Builder.WatchCount == 0)
            {
                // Nothing for the log to apply or decide: the transaction is its server commands.
                transaction.Reset();
                client.Reply.WriteArrayHeader(total);
                await RunServerCommandsAsync(client, serverCommands, 0, total).ConfigureAwait(false);
                return;
            }
            await ProposeAsync(client, transaction, serverCommands, total).ConfigureAwait(false);
        }
        finally
        {
            foreach (var queued in serverCommands)
            {
                queued.Args.Dispose();
            }
        }
    }

    /// <summary>
    /// Proposes the multi entry. Without server commands its reply is EXEC's reply as is; with them
    /// the entry's array is taken apart and the server commands' replies are put in their places, in
    /// queue order. The server commands run once the entry has applied, and not at all when a WATCH
    /// aborted it (the entry replied the null array).
    /// </summary>
    private static async ValueTask ProposeAsync(ClientConnection client, TransactionState transaction, List<QueuedServerCommand> serverCommands, int total)
    {
        var log = client.Server.CommandLog;
        var proposal = log.Rent(ProposalKind.Command, client.Protocol);
        try
        {
            var session = client.NextWriteSession();
            transaction.Builder.Encode(Proposal.StampedByLeader, proposal.Payload, session);
            proposal.InSession = session.ClientId != 0;
            transaction.Reset();
            await log.ProposeAsync(proposal).ConfigureAwait(false);
            if (serverCommands.Count == 0 || IsAborted(proposal.Reply.WrittenSpan))
            {
                client.Reply.WriteRaw(proposal.Reply.WrittenSpan);
                return;
            }
            client.Reply.WriteArrayHeader(total);
            var entryReplies = proposal.Reply.WrittenMemory;
            var offset = ReplyFrames.HeaderLength(entryReplies.Span);
            var nextServer = 0;
            for (var position = 0; position < total; position++)
            {
                if (nextServer < serverCommands.Count && serverCommands[nextServer].Position == position)
                {
                    await RunServerCommandsAsync(client, serverCommands, nextServer, nextServer + 1).ConfigureAwait(false);
                    nextServer++;
                    continue;
                }
                var length = ReplyFrames.Measure(entryReplies.Span[offset..]);
                client.Reply.WriteRaw(entryReplies.Span.Slice(offset, length));
                offset += length;
            }
        }
        catch (LogUnavailableException e)
        {
            client.Reply.WriteError(e.Message);
        }
        finally
        {
            log.Return(proposal);
        }
    }

    private static async ValueTask RunServerCommandsAsync(ClientConnection client, List<QueuedServerCommand> serverCommands, int from, int to)
    {
        for (var i = from; i < to && i < serverCommands.Count; i++)
        {
            await client.Server.ServerCommands.ExecuteAsync(serverCommands[i].Spec, client, serverCommands[i].Args).ConfigureAwait(false);
        }
    }

    private static bool IsAborted(ReadOnlySpan<byte> reply) => reply.SequenceEqual("*-1\r\n"u8) || reply.SequenceEqual("_\r\n"u8);

    /// <summary>
    /// Records each key with the applied index as of now: this connection's earlier writes are applied
    /// (the dispatcher drained them) and the read barrier makes the index linearizable, so any write
    /// after it is one the client could not have seen.
    /// </summary>
    public static async ValueTask Watch(ClientConnection client, CommandArgs args)
    {
        var transaction = client.Transaction ??= new TransactionState();
        if (transaction.IsOpen)
        {
            client.Reply.WriteError("ERR WATCH inside MULTI is not allowed");
            return;
        }
        await client.Server.CommandLog.ReadBarrierAsync().ConfigureAwait(false);
        ulong watchedAt;
        lock (client.Server.StateMachine.SyncRoot)
        {
            watchedAt = client.Server.StateMachine.AppliedIndex;
        }
        for (var i = 1; i < args.Count; i++)
        {
            transaction.Builder.Watch(args[i], watchedAt);
        }
        client.Reply.WriteOk();
    }

    public static ValueTask Unwatch(ClientConnection client, CommandArgs args)
    {
        if (client.Transaction is { IsOpen: false } transaction)
        {
            transaction.Reset();
        }
        client.Reply.WriteOk();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Queues a command inside MULTI (+QUEUED): keyspace commands into the multi entry, server-answered
    /// ones (PING, ECHO, TIME, PUBLISH, CLIENT, ...) beside it, to run at EXEC. Refused, failing the
    /// transaction: SAVE and SHUTDOWN (Redis's no-multi commands), DST.SESSION (it numbers the writes
    /// the transaction is made of), and the (un)subscribe commands, whose
    /// one reply per channel cannot fit one place of EXEC's array (Redis 7.0 queues them and breaks its
    /// reply, redis/redis#12207).
    /// </summary>
    public static void Queue(ClientConnection client, TransactionState transaction, CommandSpec spec, CommandArgs args)
    {
        if (!spec.IsServer)
        {
            transaction.Builder.Queue(args);
        }
        else if (IsRefusedInsideMulti(spec.Name))
        {
            transaction.MarkFailed();
            client.Reply.WriteError(NotAllowed);
            return;
        }
        else
        {
            transaction.QueueServerCommand(spec, args);
        }
        client.Reply.WriteSimpleString("QUEUED"u8);
    }

    private static bool IsRefusedInsideMulti(string name) =>
        name is "save" or "shutdown" or "subscribe" or "unsubscribe" or "psubscribe" or "punsubscribe" or "dst.session";
}
