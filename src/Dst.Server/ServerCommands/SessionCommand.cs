using Dst.Protocol;
using Dst.Server.Networking;
using Dst.Server.Replication;

namespace Dst.Server.ServerCommands;

/// <summary>
/// DST.SESSION: exactly-once writes for a client that may retry across reconnects and failovers.
/// <list type="bullet">
/// <item><c>NEW</c>: starts a session with a fresh random id, numbers this connection's writes from 1, replies the id.</item>
/// <item><c>RESUME id sequence</c>: continues session <c>id</c> on this connection; the next write is
/// <c>sequence</c> (the first one whose reply the client did not get). Writes the session already
/// applied are answered with their kept replies and not applied again.</item>
/// <item><c>INFO</c>: the session id and the next write's sequence (0 0 without a session).</item>
/// <item><c>END</c>: this connection's writes are plain again.</item>
/// </list>
/// Blocking commands are never numbered (each of their attempts is a new write).
/// </summary>
public static class SessionCommand
{
    public static ValueTask Execute(ClientConnection client, CommandArgs args)
    {
        var reply = client.Reply;
        var subcommand = args[1];
        if (Arguments.Is(subcommand, "NEW") && args.Count == 2)
        {
            var id = ForwardSession.NewId();
            client.Session = new ConnectionSession(id, 1);
            reply.WriteInteger((long)id);
        }
        else if (Arguments.Is(subcommand, "RESUME") && args.Count == 4)
        {
            if (!Arguments.TryParseLong(args[2], out var id) || id <= 0)
            {
                reply.WriteError("ERR session id must be a positive integer");
            }
            else if (!Arguments.TryParseLong(args[3], out var sequence) || sequence <= 0)
            {
                reply.WriteError("ERR sequence must be a positive integer");
            }
            else
            {
                client.Session = new ConnectionSession((ulong)id, (ulong)sequence);
                reply.WriteOk();
            }
        }
        else if (Arguments.Is(subcommand, "INFO") && args.Count == 2)
        {
            reply.WriteArrayHeader(2);
            reply.WriteInteger((long)(client.Session?.Id ?? 0));
            reply.WriteInteger((long)(client.Session?.NextSequence ?? 0));
        }
        else if (Arguments.Is(subcommand, "END") && args.Count == 2)
        {
            client.Session = null;
            reply.WriteOk();
        }
        else
        {
            reply.WriteError($"ERR unknown subcommand or wrong number of arguments for '{args.GetString(1)}'. Try NEW, RESUME id sequence, INFO or END.");
        }
        return ValueTask.CompletedTask;
    }
}
