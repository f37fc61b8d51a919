using System.Text;
using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Networking;
using Dst.Server.Options;

namespace Dst.Server.ServerCommands;

/// <summary>CONFIG GET pattern [pattern ...] | CONFIG SET name value [name value ...] | CONFIG RESETSTAT.</summary>
public static class ConfigCommand
{
    private static readonly Lock SetGate = new();

    public static ValueTask Execute(ClientConnection client, CommandArgs args)
    {
        var sub = args[1];
        if (Arguments.Is(sub, "GET"))
        {
            if (args.Count < 3)
            {
                client.Reply.WriteError(CommandErrors.WrongArity("config|get"));
            }
            else
            {
                Get(client, args);
            }
        }
        else if (Arguments.Is(sub, "SET"))
        {
            if (args.Count < 4 || args.Count % 2 != 0)
            {
                client.Reply.WriteError(args.Count < 4
                    ? CommandErrors.WrongArity("config|set")
                    : $"ERR Unknown option or number of arguments for CONFIG SET - '{args.GetString(args.Count - 1)}'");
            }
            else
            {
                Set(client, args);
            }
        }
        else if (Arguments.Is(sub, "RESETSTAT") && args.Count == 2)
        {
            client.Server.Stats.Reset();
            client.Reply.WriteOk();
        }
        else
        {
            client.Reply.WriteError(CommandErrors.UnknownSubcommand(sub, "config"));
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Every option matching any pattern, once, as a map (a flat array in RESP2).</summary>
    private static void Get(ClientConnection client, CommandArgs args)
    {
        var matches = new List<OptionDefinition>();
        for (var i = 2; i < args.Count; i++)
        {
            var pattern = args.GetString(i);
            foreach (var option in OptionCatalog.All)
            {
                if (!matches.Contains(option) && GlobPattern.IsMatch(pattern, option.Name, ignoreCase: true))
                {
                    matches.Add(option);
                }
            }
        }
        var reply = client.Reply;
        reply.WriteMapHeader(matches.Count);
        foreach (var option in matches)
        {
            reply.WriteBulkString(option.Name);
            reply.WriteBulkString(option.Get(client.Server.Options));
        }
    }

    /// <summary>
    /// All pairs are validated on a copy first, so a bad pair changes nothing, then applied together,
    /// as Redis 7 applies a multi-pair CONFIG SET atomically.
    /// </summary>
    private static void Set(ClientConnection client, CommandArgs args)
    {
        var server = client.Server;
        var pairs = new List<(OptionDefinition Option, string Value)>();
        for (var i = 2; i < args.Count; i += 2)
        {
            var name = args.GetString(i);
            var option = OptionCatalog.Find(name);
            if (option is null)
            {
                client.Reply.WriteError($"ERR Unknown option or number of arguments for CONFIG SET - '{name}'");
                return;
            }
            if (option.Set is null || !option.RuntimeSettable)
            {
                client.Reply.WriteError($"ERR CONFIG SET failed (possibly related to argument '{option.Name}') - can't set immutable config");
                return;
            }
            if (pairs.Any(p => p.Option == option))
            {
                client.Reply.WriteError($"ERR CONFIG SET failed (possibly related to argument '{option.Name}') - duplicate parameter");
                return;
            }
            pairs.Add((option, Encoding.UTF8.GetString(args[i + 1])));
        }
        lock (SetGate)
        {
            var trial = server.Options.Copy();
            foreach (var (option, value) in pairs)
            {
                var error = option.Set!(trial, [value]);
                if (error is not null)
                {
                    client.Reply.WriteError($"ERR CONFIG SET failed (possibly related to argument '{option.Name}') - {error}");
                    return;
                }
            }
            foreach (var (option, value) in pairs)
            {
                option.Set!(server.Options, [value]);
                server.Log.Notice($"CONFIG SET {option.Name} by client id={client.Id}");
            }
        }
        server.RefreshProtocolLimits();
        client.Reply.WriteOk();
    }
}
