using System.Globalization;
using System.Text;
using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Networking;

namespace Dst.Server.ServerCommands;

/// <summary>CLIENT ID | SETNAME | GETNAME | LIST | INFO | KILL | UNBLOCK | SETINFO | NO-EVICT | NO-TOUCH.</summary>
public static class ClientCommand
{
    private const string BadClientName = "ERR Client names cannot contain spaces, newlines or special characters.";

    public static ValueTask Execute(ClientConnection client, CommandArgs args)
    {
        var reply = client.Reply;
        var sub = args[1];
        if (Arguments.Is(sub, "ID") && args.Count == 2)
        {
            reply.WriteInteger(client.Id);
        }
        else if (Arguments.Is(sub, "SETNAME") && args.Count == 3)
        {
            SetName(client, args);
        }
        else if (Arguments.Is(sub, "GETNAME") && args.Count == 2)
        {
            WriteOptional(reply, client.Name);
        }
        else if (Arguments.Is(sub, "LIST"))
        {
            List(client, args);
        }
        else if (Arguments.Is(sub, "INFO") && args.Count == 2)
        {
            reply.WriteVerbatim(Describe(client) + "\n");
        }
        else if (Arguments.Is(sub, "KILL") && args.Count >= 3)
        {
            Kill(client, args);
        }
        else if (Arguments.Is(sub, "UNBLOCK") && args.Count is 3 or 4)
        {
            Unblock(client, args);
        }
        else if (Arguments.Is(sub, "UNBLOCK") && args.Count > 4)
        {
            // Past the table's arity (-3) Redis answers its generic subcommand syntax error.
            reply.WriteError("ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.");
        }
        else if (Arguments.Is(sub, "SETINFO") && args.Count == 4)
        {
            SetInfo(client, args);
        }
        else if ((Arguments.Is(sub, "NO-EVICT") || Arguments.Is(sub, "NO-TOUCH")) && args.Count == 3)
        {
            // Dst never evicts and keeps no access times, so both modes are accepted and change nothing.
            if (Arguments.Is(args[2], "ON") || Arguments.Is(args[2], "OFF"))
            {
                reply.WriteOk();
            }
            else
            {
                reply.WriteError(CommandErrors.Syntax);
            }
        }
        else if (IsKnown(sub))
        {
            reply.WriteError(CommandErrors.WrongArity($"client|{Encoding.ASCII.GetString(sub).ToLowerInvariant()}"));
        }
        else
        {
            reply.WriteError(CommandErrors.UnknownSubcommand(sub, "client"));
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>One CLIENT LIST line, with Redis's field names in Redis's order.</summary>
    public static string Describe(ClientConnection c)
    {
        var now = Environment.TickCount64;
        return string.Create(CultureInfo.InvariantCulture,
            $"id={c.Id} addr={c.Address} laddr={c.LocalAddress} fd=-1 name={c.Name} age={(now - c.CreatedAtMs) / 1000} "
            + $"idle={(now - c.LastInteractionMs) / 1000} flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf={c.QueryBufferBytes} "
            + $"qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl={c.OutputBufferBytes} oll=0 omem=0 tot-mem=0 events=r "
            + $"cmd={c.LastCommand} user=default redir=-1 resp={(int)c.Protocol} lib-name={c.LibraryName} lib-ver={c.LibraryVersion}");
    }

    private static bool IsKnown(ReadOnlySpan<byte> sub) =>
        Arguments.Is(sub, "ID") || Arguments.Is(sub, "SETNAME") || Arguments.Is(sub, "GETNAME") || Arguments.Is(sub, "INFO")
        || Arguments.Is(sub, "KILL") || Arguments.Is(sub, "UNBLOCK") || Arguments.Is(sub, "SETINFO") || Arguments.Is(sub, "NO-EVICT") || Arguments.Is(sub, "NO-TOUCH");

    /// <summary>
    /// CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when that client was blocked and now answers as on its
    /// timeout (or with the UNBLOCKED error), else 0. The reason is checked before the id, as in Redis.
    /// </summary>
    private static void Unblock(ClientConnection client, CommandArgs args)
    {
        var withError = false;
        if (args.Count == 4)
        {
            if (Arguments.Is(args[3], "ERROR"))
            {
                withError = true;
            }
            else if (!Arguments.Is(args[3], "TIMEOUT"))
            {
                client.Reply.WriteError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                return;
            }
        }
        if (!Arguments.TryParseLong(args[2], out var id))
        {
            client.Reply.WriteError(CommandErrors.NotInteger);
            return;
        }
        client.Reply.WriteInteger(client.Server.Blocked.Unblock(id, withError) ? 1 : 0);
    }

    private static void SetName(ClientConnection client, CommandArgs args)
    {
        if (!Arguments.IsValidClientName(args[2]))
        {
            client.Reply.WriteError(BadClientName);
            return;
        }
        client.Name = args[2].Length == 0 ? null : args.GetString(2);
        client.Reply.WriteOk();
    }

    private static void SetInfo(ClientConnection client, CommandArgs args)
    {
        var attribute = args[2];
        if (!Arguments.IsValidClientName(args[3]))
        {
            client.Reply.WriteError($"ERR {args.GetString(2)} cannot contain spaces, newlines or special characters.");
            return;
        }
        var value = args[3].Length == 0 ? null : args.GetString(3);
        if (Arguments.Is(attribute, "LIB-NAME"))
        {
            client.LibraryName = value;
        }
        else if (Arguments.Is(attribute, "LIB-VER"))
        {
            client.LibraryVersion = value;
        }
        else
        {
            client.Reply.WriteError($"ERR Unrecognized option '{args.GetString(2)}'");
            return;
        }
        client.Reply.WriteOk();
    }

    /// <summary>CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]].</summary>
    private static void List(ClientConnection client, CommandArgs args)
    {
        IEnumerable<ClientConnection> clients = client.Server.Clients.Snapshot();
        if (args.Count >= 4 && Arguments.Is(args[2], "TYPE") && args.Count == 4)
        {
            var type = args.GetString(3).ToLowerInvariant();
            if (type is not ("normal" or "master" or "replica" or "slave" or "pubsub"))
            {
                client.Reply.WriteError($"ERR Unknown client type '{args.GetString(3)}'");
                return;
            }
            clients = type == "normal" ? clients : [];
        }
        else if (args.Count >= 4 && Arguments.Is(args[2], "ID"))
        {
            var ids = new HashSet<long>();
            for (var i = 3; i < args.Count; i++)
            {
                if (!Arguments.TryParseLong(args[i], out var id) || id <= 0)
                {
                    client.Reply.WriteError("ERR Invalid client ID");
                    return;
                }
                ids.Add(id);
            }
            clients = clients.Where(c => ids.Contains(c.Id));
        }
        else if (args.Count != 2)
        {
            client.Reply.WriteError(CommandErrors.Syntax);
            return;
        }
        var text = new StringBuilder();
        foreach (var c in clients)
        {
            text.Append(Describe(c)).Append('\n');
        }
        client.Reply.WriteVerbatim(text.ToString());
    }

    /// <summary>CLIENT KILL addr:port (old form, OK or error) or CLIENT KILL filter value ... (count killed).</summary>
    private static void Kill(ClientConnection client, CommandArgs args)
    {
        var all = client.Server.Clients.Snapshot();
        if (args.Count == 3)
        {
            var address = args.GetString(2);
            var target = all.FirstOrDefault(c => c.Address == address);
            if (target is null)
            {
                client.Reply.WriteError("ERR No such client");
                return;
            }
            client.Reply.WriteOk();
            Close(client, target);
            return;
        }
        if (!TryParseFilter(client, args, out var filter))
        {
            return;
        }
        var victims = all.Where(c => filter.Matches(c, client)).ToList();
        client.Reply.WriteInteger(victims.Count);
        foreach (var victim in victims)
        {
            Close(client, victim);
        }
    }

    /// <summary>Killing oneself waits until the reply is sent; others are closed at once.</summary>
    private static void Close(ClientConnection self, ClientConnection target)
    {
        if (ReferenceEquals(self, target))
        {
            target.CloseAfterReply();
        }
        else
        {
            target.Kill();
        }
    }

    private static bool TryParseFilter(ClientConnection client, CommandArgs args, out KillFilter filter)
    {
        filter = new KillFilter();
        if ((args.Count - 2) % 2 != 0)
        {
            client.Reply.WriteError(CommandErrors.Syntax);
            return false;
        }
        for (var i = 2; i < args.Count; i += 2)
        {
            var name = args[i];
            var value = args.GetString(i + 1);
            if (Arguments.Is(name, "ID"))
            {
                if (!Arguments.TryParseLong(args[i + 1], out var id) || id <= 0)
                {
                    client.Reply.WriteError("ERR client-id should be greater than 0");
                    return false;
                }
                filter.Id = id;
            }
            else if (Arguments.Is(name, "ADDR"))
            {
                filter.Address = value;
            }
            else if (Arguments.Is(name, "LADDR"))
            {
                filter.LocalAddress = value;
            }
            else if (Arguments.Is(name, "USER"))
            {
                filter.User = value;
            }
            else if (Arguments.Is(name, "TYPE"))
            {
                var type = value.ToLowerInvariant();
                if (type is not ("normal" or "master" or "replica" or "slave" or "pubsub"))
                {
                    client.Reply.WriteError($"ERR Unknown client type '{value}'");
                    return false;
                }
                filter.NoneByType = type != "normal";
            }
            else if (Arguments.Is(name, "SKIPME"))
            {
                if (!Arguments.Is(args[i + 1], "yes") && !Arguments.Is(args[i + 1], "no"))
                {
                    client.Reply.WriteError(CommandErrors.Syntax);
                    return false;
                }
                filter.SkipMe = Arguments.Is(args[i + 1], "yes");
            }
            else if (Arguments.Is(name, "MAXAGE"))
            {
                if (!Arguments.TryParseLong(args[i + 1], out var maxAge))
                {
                    client.Reply.WriteError(CommandErrors.NotInteger);
                    return false;
                }
                filter.MaxAgeSeconds = maxAge;
            }
            else
            {
                client.Reply.WriteError(CommandErrors.Syntax);
                return false;
            }
        }
        return true;
    }

    private static void WriteOptional(RespWriter reply, string? value)
    {
        if (value is null)
        {
            reply.WriteNull();
        }
        else
        {
            reply.WriteBulkString(value);
        }
    }

    /// <summary>The new-style CLIENT KILL filters; every given filter must match (SKIPME defaults to yes).</summary>
    private sealed class KillFilter
    {
        public long? Id { get; set; }
        public string? Address { get; set; }
        public string? LocalAddress { get; set; }
        public string? User { get; set; }
        public bool NoneByType { get; set; }
        public bool SkipMe { get; set; } = true;
        public long? MaxAgeSeconds { get; set; }

        public bool Matches(ClientConnection candidate, ClientConnection self) =>
            !NoneByType
            && (Id is null || candidate.Id == Id)
            && (Address is null || candidate.Address == Address)
            && (LocalAddress is null || candidate.LocalAddress == LocalAddress)
            && (User is null || User == "default")
            && (MaxAgeSeconds is null || (Environment.TickCount64 - candidate.CreatedAtMs) / 1000 >= MaxAgeSeconds)
            && !(SkipMe && ReferenceEquals(candidate, self));
    }
}
