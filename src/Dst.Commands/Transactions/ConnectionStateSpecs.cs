using static Dst.Commands.CommandFlags;

namespace Dst.Commands.Transactions;

/// <summary>
/// Commands whose effect lives in the connection's state, answered by the server (flag
/// <see cref="CommandFlags.Server"/>): transactions (MULTI ... EXEC becomes one multi entry) and
/// pub/sub (node-local). Arity, flags and key positions are Redis 7's.
/// </summary>
public static class ConnectionStateSpecs
{
    private const string Transactions = "transactions";
    private const string PubSubGroup = "pubsub";

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        Spec("multi", 1, Fast | Loading | Stale, 0, 0, 0, Transactions, "Starts a transaction.", "1.2.0", "O(1)"),
        Spec("exec", 1, Loading | Stale, 0, 0, 0, Transactions, "Executes all commands in a transaction.", "1.2.0", "Depends on commands in the transaction"),
        Spec("discard", 1, Fast | Loading | Stale, 0, 0, 0, Transactions, "Discards a transaction.", "2.0.0", "O(N), when N is the number of queued commands"),
        Spec("watch", -2, Fast | Loading | Stale, 1, -1, 1, Transactions, "Monitors changes to keys to determine the execution of a transaction.", "2.2.0", "O(1) for every key.") with { KeyFlags = "RO", Syntax = "key:key..." },
        Spec("unwatch", 1, Fast | Loading | Stale, 0, 0, 0, Transactions, "Forgets about watched keys of a transaction.", "2.2.0", "O(1)"),
        Spec("subscribe", -2, PubSub | Loading | Stale, 0, 0, 0, PubSubGroup, "Listens for messages published to channels.", "2.0.0", "O(N) where N is the number of channels to subscribe to.") with { Syntax = "channel:string..." },
        Spec("unsubscribe", -1, PubSub | Loading | Stale, 0, 0, 0, PubSubGroup, "Stops listening to messages posted to channels.", "2.0.0", "O(N) where N is the number of channels to unsubscribe.") with { Syntax = "[channel:string...]" },
        Spec("psubscribe", -2, PubSub | Loading | Stale, 0, 0, 0, PubSubGroup, "Listens for messages published to channels that match one or more patterns.", "2.0.0", "O(N) where N is the number of patterns to subscribe to.") with { Syntax = "pattern(pattern:pattern)..." },
        Spec("punsubscribe", -1, PubSub | Loading | Stale, 0, 0, 0, PubSubGroup, "Stops listening to messages published to channels that match one or more patterns.", "2.0.0", "O(N) where N is the number of patterns to unsubscribe.") with { Syntax = "[pattern:pattern...]" },
        Spec("publish", 3, PubSub | Loading | Stale | Fast, 0, 0, 0, PubSubGroup, "Posts a message to a channel.", "2.0.0", "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).") with { Syntax = "channel:string message:string" },
        Spec("pubsub", -2, PubSub | Loading | Stale, 0, 0, 0, PubSubGroup, "A container for Pub/Sub commands.", "2.8.0", "Depends on subcommand.") with { Syntax = "subcommand{CHANNELS channels([pattern:pattern])|NUMSUB numsub([channel:string...])|numpat:NUMPAT|help:HELP}" },
    ];

    private static CommandSpec Spec(string name, int arity, CommandFlags flags, int firstKey, int lastKey, int step, string group, string summary, string since, string complexity) =>
        new(name, arity, flags | CommandFlags.Server, firstKey, lastKey, step, group, summary, since, Handler: null, complexity);
}
