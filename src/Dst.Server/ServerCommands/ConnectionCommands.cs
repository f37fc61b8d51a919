using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Networking;

namespace Dst.Server.ServerCommands;

/// <summary>PING, ECHO, QUIT, RESET, SELECT and TIME: commands about the connection itself.</summary>
public static class ConnectionCommands
{
    public static ValueTask Ping(ClientConnection client, CommandArgs args)
    {
        switch (args.Count)
        {
            case 1:
                client.Reply.WriteRaw("+PONG\r\n"u8);
                break;
            case 2:
                client.Reply.WriteBulkString(args[1]);
                break;
            default:
                client.Reply.WriteError(CommandErrors.WrongArity("ping"));
                break;
        }
        return ValueTask.CompletedTask;
    }

    public static ValueTask Echo(ClientConnection client, CommandArgs args)
    {
        client.Reply.WriteBulkString(args[1]);
        return ValueTask.CompletedTask;
    }

    public static ValueTask Quit(ClientConnection client, CommandArgs args)
    {
        client.Reply.WriteOk();
        client.CloseAfterReply();
        return ValueTask.CompletedTask;
    }

    /// <summary>RESET: back to a fresh connection's state (RESP2, no name, not authenticated when a password is set).</summary>
    public static ValueTask Reset(ClientConnection client, CommandArgs args)
    {
        client.Protocol = RespVersion.Resp2;
        client.Name = null;
        client.Authenticated = client.Server.Options.RequirePass is null;
        client.Reply.WriteSimpleString("RESET"u8);
        return ValueTask.CompletedTask;
    }

    /// <summary>Only database 0 exists: Dst shards by key, as Redis Cluster does.</summary>
    public static ValueTask Select(ClientConnection client, CommandArgs args)
    {
        if (!Arguments.TryParseLong(args[1], out var index))
        {
            client.Reply.WriteError(CommandErrors.NotInteger);
        }
        else if (index != 0)
        {
            client.Reply.WriteError(CommandErrors.DbIndexOutOfRange);
        }
        else
        {
            client.Reply.WriteOk();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>TIME: Unix seconds and the microseconds within the second, both as bulk strings.</summary>
    public static ValueTask Time(ClientConnection client, CommandArgs args)
    {
        var microseconds = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
        client.Reply.WriteArrayHeader(2);
        client.Reply.WriteBulkString(microseconds / 1_000_000);
        client.Reply.WriteBulkString(microseconds % 1_000_000);
        return ValueTask.CompletedTask;
    }
}
