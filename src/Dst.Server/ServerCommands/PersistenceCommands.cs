using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Networking;
using Dst.Server.Pipeline;

namespace Dst.Server.ServerCommands;

/// <summary>
/// SAVE, BGSAVE, LASTSAVE and SHUTDOWN. A snapshot is captured by the Raft loop at a point between
/// entries, so it always describes exactly the state after one log index, and written in the
/// background while writes go on; SAVE answers once the file is durable.
/// </summary>
public static class PersistenceCommands
{
    public static async ValueTask Save(ClientConnection client, CommandArgs args)
    {
        var (ok, error) = await SnapshotAsync(client.Server).ConfigureAwait(false);
        if (ok)
        {
            client.Reply.WriteOk();
        }
        else
        {
            client.Reply.WriteError(error!);
        }
    }

    /// <summary>BGSAVE [SCHEDULE]: queues the snapshot behind the writes already proposed and answers at once.</summary>
    public static ValueTask BackgroundSave(ClientConnection client, CommandArgs args)
    {
        if (args.Count > 2 || (args.Count == 2 && !Arguments.Is(args[1], "SCHEDULE")))
        {
            client.Reply.WriteError(CommandErrors.Syntax);
            return ValueTask.CompletedTask;
        }
        var server = client.Server;
        _ = Task.Run(async () =>
        {
            var (ok, error) = await SnapshotAsync(server).ConfigureAwait(false);
            if (!ok)
            {
                server.Log.Warning($"Background saving failed: {error}");
            }
        });
        client.Reply.WriteSimpleString("Background saving started"u8);
        return ValueTask.CompletedTask;
    }

    public static ValueTask LastSave(ClientConnection client, CommandArgs args)
    {
        client.Reply.WriteInteger(client.Server.CommandLog.Status.LastSnapshotUnixSeconds);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: snapshot (unless NOSAVE), then stop; the log is
    /// fsynced as the server closes it. Success has no reply: the connection closes, as in Redis.
    /// </summary>
    public static async ValueTask Shutdown(ClientConnection client, CommandArgs args)
    {
        bool noSave = false, save = false, force = false, abort = false;
        for (var i = 1; i < args.Count; i++)
        {
            var flag = args[i];
            if (Arguments.Is(flag, "NOSAVE"))
            {
                noSave = true;
            }
            else if (Arguments.Is(flag, "SAVE"))
            {
                save = true;
            }
            else if (Arguments.Is(flag, "FORCE"))
            {
                force = true;
            }
            else if (Arguments.Is(flag, "ABORT"))
            {
                abort = true;
            }
            else if (!Arguments.Is(flag, "NOW"))
            {
                client.Reply.WriteError(CommandErrors.Syntax);
                return;
            }
        }
        if ((noSave && save) || (abort && args.Count > 2))
        {
            client.Reply.WriteError(CommandErrors.Syntax);
            return;
        }
        if (abort)
        {
            client.Reply.WriteError("ERR No shutdown in progress.");
            return;
        }
        var server = client.Server;
        server.Log.Warning($"User requested shutdown (client id={client.Id} addr={client.Address})...");
        if (!noSave)
        {
            var (ok, error) = await SnapshotAsync(server).ConfigureAwait(false);
            if (!ok && !force)
            {
                server.Log.Warning($"Error trying to save the snapshot, can't exit: {error}");
                client.Reply.WriteError("ERR Errors trying to SHUTDOWN. Check logs.");
                return;
            }
        }
        client.CloseAfterReply();
        server.ShutdownRequested.TrySetResult(0);
    }

    /// <summary>The snapshot a signal-initiated shutdown takes; a failure is logged and the server still exits.</summary>
    public static async Task SaveBeforeExitAsync(ServerContext server)
    {
        var (ok, error) = await SnapshotAsync(server).ConfigureAwait(false);
        if (!ok)
        {
            server.Log.Warning($"Snapshot before exit failed: {error}");
        }
    }

    private static async Task<(bool Ok, string? Error)> SnapshotAsync(ServerContext server)
    {
        var log = server.CommandLog;
        var proposal = log.Rent(ProposalKind.Snapshot, RespVersion.Resp2);
        try
        {
            await log.ProposeAsync(proposal).ConfigureAwait(false);
            var reply = proposal.Reply.WrittenSpan;
            return reply.Length > 0 && reply[0] == (byte)'-'
                ? (false, System.Text.Encoding.UTF8.GetString(reply[1..^2]))
                : (true, null);
        }
        catch (LogUnavailableException e)
        {
            return (false, e.Message);
        }
        finally
        {
            log.Return(proposal);
        }
    }
}
