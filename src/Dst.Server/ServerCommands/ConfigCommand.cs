using System.Text;
using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Networking;
using Dst.Server.Options;
using Dst.Server.Pipeline;

namespace Dst.Server.ServerCommands;

/// <summary>CONFIG GET pattern [pattern ...] | CONFIG SET name value [name value ...] | CONFIG RESETSTAT.</summary>
public static class ConfigCommand
{
    private static readonly Lock SetGate = new();

    public static async ValueTask Execute(ClientConnection client, CommandArgs args)
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
                await SetAsync(client, args).ConfigureAwait(false);
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
    }

    /// <summary>Every option matching any pattern, once, as a map (a flat array in RESP2); replicated ones as applied.</summary>
    private static void Get(ClientConnection client, CommandArgs args)
    {
        var current = client.Server.Options.Copy();
        current.Encodings = client.Server.StateMachine.Options;
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
            reply.WriteBulkString(option.Get(current));
        }
    }

    /// <summary>
    /// All pairs are validated on a copy first, so a bad pair changes nothing, then applied together,
    /// as Redis 7 applies a multi-pair CONFIG SET atomically. Replicated options (the encoding
    /// thresholds) go first, as one Configure log entry; the others are applied here once it is.
    /// </summary>
    private static async ValueTask SetAsync(ClientConnection client, CommandArgs args)
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
        }
        List<(string Name, string Value)> replicated = [.. pairs.Where(p => p.Option.Replicated).Select(p => (EncodingThresholds.Find(p.Option.Name)!.Name, p.Value))];
        if (replicated.Count > 0 && !await ProposeSettingsAsync(client, replicated).ConfigureAwait(false))
        {
            return;
        }
        lock (SetGate)
        {
            foreach (var (option, value) in pairs)
            {
                if (!option.Replicated)
                {
                    option.Set!(server.Options, [value]);
                }
                server.Log.Notice($"CONFIG SET {option.Name} by client id={client.Id}");
            }
        }
        server.RefreshProtocolLimits();
        client.Reply.WriteOk();
    }

    /// <summary>
    /// Proposes the settings as one Configure entry and waits until it is applied (on a follower: until
    /// the leader applied the forwarded entry; this node follows at its own pace). False when it was
    /// not: the log's error or the state machine's refusal has been written as the reply.
    /// </summary>
    private static async ValueTask<bool> ProposeSettingsAsync(ClientConnection client, List<(string Name, string Value)> settings)
    {
        var log = client.Server.CommandLog;
        var proposal = log.Rent(ProposalKind.Command, client.Protocol);
        try
        {
            StateMachine.EncodeConfigure(settings, Proposal.StampedByLeader, proposal.Payload);
            await log.ProposeAsync(proposal).ConfigureAwait(false);
            var reply = proposal.Reply.WrittenSpan;
            if (reply.Length > 0 && reply[0] == (byte)'-')
            {
                client.Reply.WriteRaw(reply);
                return false;
            }
            return true;
        }
        catch (LogUnavailableException e)
        {
            client.Reply.WriteError(e.Message);
            return false;
        }
        finally
        {
            log.Return(proposal);
        }
    }
}
