using System.Collections.Frozen;
using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Networking;

namespace Dst.Server.ServerCommands;

/// <summary>Answers a command the command table marks as a server command.</summary>
public delegate ValueTask ServerCommandHandler(ClientConnection client, CommandArgs args);

/// <summary>
/// Binds the command table's server commands (flag <see cref="CommandFlags.Server"/>) to their
/// handlers here. The table says what exists; this says how the server answers it.
/// </summary>
public sealed class ServerCommandRegistry
{
    private readonly FrozenDictionary<string, ServerCommandHandler> _handlers;

    public ServerCommandRegistry(CommandTable table)
    {
        var handlers = new Dictionary<string, ServerCommandHandler>(StringComparer.Ordinal)
        {
            ["ping"] = ConnectionCommands.Ping,
            ["echo"] = ConnectionCommands.Echo,
            ["quit"] = ConnectionCommands.Quit,
            ["reset"] = ConnectionCommands.Reset,
            ["select"] = ConnectionCommands.Select,
            ["auth"] = AuthCommands.Auth,
            ["hello"] = AuthCommands.Hello,
            ["client"] = ClientCommand.Execute,
            ["info"] = InfoCommand.Execute,
            ["config"] = ConfigCommand.Execute,
            ["time"] = ConnectionCommands.Time,
            ["command"] = CommandCommand.Execute,
            ["save"] = PersistenceCommands.Save,
            ["bgsave"] = PersistenceCommands.BackgroundSave,
            ["lastsave"] = PersistenceCommands.LastSave,
            ["shutdown"] = PersistenceCommands.Shutdown,
            ["multi"] = Transactions.TransactionCommands.Multi,
            ["exec"] = Transactions.TransactionCommands.Exec,
            ["discard"] = Transactions.TransactionCommands.Discard,
            ["watch"] = Transactions.TransactionCommands.Watch,
            ["unwatch"] = Transactions.TransactionCommands.Unwatch,
            ["subscribe"] = PubSub.PubSubCommands.Subscribe,
            ["unsubscribe"] = PubSub.PubSubCommands.Unsubscribe,
            ["psubscribe"] = PubSub.PubSubCommands.PSubscribe,
            ["punsubscribe"] = PubSub.PubSubCommands.PUnsubscribe,
            ["publish"] = PubSub.PubSubCommands.Publish,
            ["pubsub"] = PubSub.PubSubCommands.PubSub,
            ["cluster"] = ClusterCommand.Execute,
            ["role"] = ReplicationCommands.Role,
            ["wait"] = ReplicationCommands.Wait,
            ["readonly"] = ReplicationCommands.ReadOnly,
            ["readwrite"] = ReplicationCommands.ReadWrite,
            ["dst.session"] = SessionCommand.Execute,
            ["dst.propose"] = static (client, args) =>
            {
                ReplicationCommands.QueueForwardedWrite(client, args);
                return ValueTask.CompletedTask;
            },
        };
        _handlers = handlers.ToFrozenDictionary(StringComparer.Ordinal);
        MissingHandlers = [.. table.All.Where(s => s.IsServer && !_handlers.ContainsKey(s.Name)).Select(s => s.Name)];
    }

    /// <summary>Server commands the table declares but this server does not answer (should be empty; startup logs them).</summary>
    public IReadOnlyList<string> MissingHandlers { get; }

    public ValueTask ExecuteAsync(CommandSpec spec, ClientConnection client, CommandArgs args)
    {
        if (_handlers.TryGetValue(spec.Name, out var handler))
        {
            return handler(client, args);
        }
        client.Reply.WriteError($"ERR '{spec.Name}' is not available on this server");
        return ValueTask.CompletedTask;
    }
}
