using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Networking;

namespace Dst.Server.PubSub;

/// <summary>SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH and PUBSUB, node-local.</summary>
public static class PubSubCommands
{
    public static ValueTask Subscribe(ClientConnection client, CommandArgs args) => SubscribeEach(client, args, pattern: false);

    public static ValueTask PSubscribe(ClientConnection client, CommandArgs args) => SubscribeEach(client, args, pattern: true);

    public static ValueTask Unsubscribe(ClientConnection client, CommandArgs args) => UnsubscribeEach(client, args, pattern: false);

    public static ValueTask PUnsubscribe(ClientConnection client, CommandArgs args) => UnsubscribeEach(client, args, pattern: true);

    public static ValueTask Publish(ClientConnection client, CommandArgs args)
    {
        client.Reply.WriteInteger(client.Server.PubSub.Publish(args[1], args[2]));
        return ValueTask.CompletedTask;
    }

    /// <summary>PUBSUB CHANNELS [pattern] | NUMSUB [channel ...] | NUMPAT | HELP.</summary>
    public static ValueTask PubSub(ClientConnection client, CommandArgs args)
    {
        var hub = client.Server.PubSub;
        var reply = client.Reply;
        if (args.EqualsIgnoreCase(1, "CHANNELS"u8) && args.Count <= 3)
        {
            var channels = hub.Channels(args.Count == 3 ? args[2] : [], all: args.Count == 2);
            reply.WriteArrayHeader(channels.Count);
            foreach (var channel in channels)
            {
                reply.WriteBulkString(channel);
            }
        }
        else if (args.EqualsIgnoreCase(1, "NUMSUB"u8))
        {
            reply.WriteArrayHeader((args.Count - 2) * 2); // a flat array in RESP3 too, as Redis replies
            for (var i = 2; i < args.Count; i++)
            {
                reply.WriteBulkString(args[i]);
                reply.WriteInteger(hub.SubscriberCount(args[i]));
            }
        }
        else if (args.EqualsIgnoreCase(1, "NUMPAT"u8) && args.Count == 2)
        {
            reply.WriteInteger(hub.PatternCount);
        }
        else if (args.EqualsIgnoreCase(1, "HELP"u8) && args.Count == 2)
        {
            string[] lines =
            [
                "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "HELP",
                "    Print this help.",
            ];
            reply.WriteArrayHeader(lines.Length);
            foreach (var line in lines)
            {
                reply.WriteSimpleString(line);
            }
        }
        else
        {
            reply.WriteError($"ERR unknown subcommand or wrong number of arguments for '{args.GetString(1)}'. Try PUBSUB HELP.");
        }
        return ValueTask.CompletedTask;
    }

    private static ValueTask SubscribeEach(ClientConnection client, CommandArgs args, bool pattern)
    {
        var subscriber = client.Subscriber ??= new Subscriber(client, client.Server.PubSub);
        for (var i = 1; i < args.Count; i++)
        {
            subscriber.Subscribe(args[i], pattern, client.Reply);
        }
        return ValueTask.CompletedTask;
    }

    private static ValueTask UnsubscribeEach(ClientConnection client, CommandArgs args, bool pattern)
    {
        var subscriber = client.Subscriber ??= new Subscriber(client, client.Server.PubSub);
        if (args.Count == 1)
        {
            subscriber.UnsubscribeEvery(pattern, client.Reply);
            return ValueTask.CompletedTask;
        }
        for (var i = 1; i < args.Count; i++)
        {
            subscriber.Unsubscribe(args[i], pattern, client.Reply);
        }
        return ValueTask.CompletedTask;
    }
}
