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
        var log = client.Server.CommandLog;
        var proposal = log.Rent(ProposalKind.Command, client.Protocol);
        try
        {
            transaction.Builder.Encode(ServerContext.NowUnixMs(), proposal.Payload);
            transaction.Reset();
            await log.ProposeAsync(proposal).ConfigureAwait(false);
            client.Reply.WriteRaw(proposal.Reply.WrittenSpan);
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

    /// <summary>Queues a keyspace command inside MULTI (+QUEUED); a server command cannot be part of a log entry and fails the transaction.</summary>
    public static void Queue(ClientConnection client, TransactionState transaction, CommandSpec spec, CommandArgs args)
    {
        if (spec.IsServer)
        {
            transaction.MarkFailed();
            client.Reply.WriteError(NotAllowed);
            return;
        }
        transaction.Builder.Queue(args);
        client.Reply.WriteSimpleString("QUEUED"u8);
    }
}
