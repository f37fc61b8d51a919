using System.Security.Cryptography;
using System.Text;
using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Networking;

namespace Dst.Server.ServerCommands;

/// <summary>AUTH and HELLO: authenticating as the default user and choosing the RESP version.</summary>
public static class AuthCommands
{
    public const string WrongPass = "WRONGPASS invalid username-password pair or user is disabled.";

    public const string NoPasswordConfigured =
        "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?";

    public const string NoProto = "NOPROTO unsupported protocol version";

    private const string HelloNoAuth =
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option "
        + "can be used to authenticate the client and select the RESP protocol version at the same time";

    private const string BadClientName = "ERR Client names cannot contain spaces, newlines or special characters.";

    /// <summary>AUTH password | AUTH username password. Only the "default" user exists.</summary>
    public static ValueTask Auth(ClientConnection client, CommandArgs args)
    {
        if (args.Count > 3)
        {
            client.Reply.WriteError(CommandErrors.Syntax);
            return ValueTask.CompletedTask;
        }
        if (args.Count == 2 && client.Server.Options.RequirePass is null)
        {
            client.Reply.WriteError(NoPasswordConfigured);
            return ValueTask.CompletedTask;
        }
        var user = args.Count == 3 ? args[1] : "default"u8;
        if (CheckCredentials(client, user, args[args.Count - 1]))
        {
            client.Authenticated = true;
            client.Reply.WriteOk();
        }
        else
        {
            client.Reply.WriteError(WrongPass);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>HELLO [protover [AUTH username password] [SETNAME clientname]]: replies with the server's map.</summary>
    public static ValueTask Hello(ClientConnection client, CommandArgs args)
    {
        var version = client.Protocol;
        if (args.Count >= 2)
        {
            if (!Arguments.TryParseLong(args[1], out var requested))
            {
                client.Reply.WriteError("ERR Protocol version is not an integer or out of range");
                return ValueTask.CompletedTask;
            }
            if (requested is not (2 or 3))
            {
                client.Reply.WriteError(NoProto);
                return ValueTask.CompletedTask;
            }
            version = (RespVersion)requested;
        }
        var authIndex = -1;
        var nameIndex = -1;
        for (var i = 2; i < args.Count; i++)
        {
            var remaining = args.Count - i - 1;
            if (Arguments.Is(args[i], "AUTH") && remaining >= 2)
            {
                authIndex = i;
                i += 2;
            }
            else if (Arguments.Is(args[i], "SETNAME") && remaining >= 1)
            {
                nameIndex = i;
                i += 1;
            }
            else
            {
                client.Reply.WriteError($"ERR Syntax error in HELLO option '{args.GetString(i)}'");
                return ValueTask.CompletedTask;
            }
        }
        if (authIndex > 0)
        {
            if (!CheckCredentials(client, args[authIndex + 1], args[authIndex + 2]))
            {
                client.Reply.WriteError(WrongPass);
                return ValueTask.CompletedTask;
            }
            client.Authenticated = true;
        }
        if (!client.Authenticated && client.Server.Options.RequirePass is not null)
        {
            client.Reply.WriteError(HelloNoAuth);
            return ValueTask.CompletedTask;
        }
        if (nameIndex > 0)
        {
            if (!Arguments.IsValidClientName(args[nameIndex + 1]))
            {
                client.Reply.WriteError(BadClientName);
                return ValueTask.CompletedTask;
            }
            client.Name = args[nameIndex + 1].Length == 0 ? null : args.GetString(nameIndex + 1);
        }
        client.Protocol = version;
        WriteHelloMap(client);
        return ValueTask.CompletedTask;
    }

    private static void WriteHelloMap(ClientConnection client)
    {
        var reply = client.Reply;
        reply.WriteMapHeader(8);
        // "redis" and a 7.x version: client libraries check these to decide which features to use.
        reply.WriteBulkString("server"u8);
        reply.WriteBulkString("redis"u8);
        reply.WriteBulkString("version"u8);
        reply.WriteBulkString(ServerVersion.RedisCompatible);
        reply.WriteBulkString("proto"u8);
        reply.WriteInteger((int)client.Protocol);
        reply.WriteBulkString("id"u8);
        reply.WriteInteger(client.Id);
        reply.WriteBulkString("mode"u8);
        reply.WriteBulkString("standalone"u8);
        reply.WriteBulkString("role"u8);
        reply.WriteBulkString("master"u8);
        reply.WriteBulkString("modules"u8);
        reply.WriteArrayHeader(0);
        reply.WriteBulkString("dst_version"u8);
        reply.WriteBulkString(ServerVersion.Dst);
    }

    /// <summary>
    /// True for the default user with the configured password, compared in constant time. With no
    /// password configured the default user accepts any password, as Redis's "nopass" default user does.
    /// </summary>
    private static bool CheckCredentials(ClientConnection client, ReadOnlySpan<byte> user, ReadOnlySpan<byte> password)
    {
        if (!user.SequenceEqual("default"u8))
        {
            return false;
        }
        var configured = client.Server.Options.RequirePass;
        if (configured is null)
        {
            return true;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(configured), password);
    }
}
