using Dst.Commands;
using Dst.Commands.Transactions;
using Dst.Protocol;

namespace Dst.Server.Transactions;

/// <summary>
/// One connection's transaction: WATCHed keys, whether MULTI is open, what is queued, and whether queueing
/// failed. Keyspace commands go into the multi entry (<see cref="Builder"/>); server-answered commands
/// (PING, PUBLISH, TIME, ...) cannot be log entries, so they wait here with their place in the queue.
/// </summary>
public sealed class TransactionState
{
    private readonly List<QueuedServerCommand> _serverCommands = [];

    public TransactionBuilder Builder { get; } = new();

    /// <summary>Between MULTI and EXEC/DISCARD: commands are queued, not run.</summary>
    public bool IsOpen { get; private set; }

    /// <summary>A command was refused while queueing: EXEC will answer EXECABORT.</summary>
    public bool Failed { get; private set; }

    /// <summary>Queued server commands in queue order, each with its index among all queued commands.</summary>
    public IReadOnlyList<QueuedServerCommand> ServerCommands => _serverCommands;

    /// <summary>Every queued command: those in the multi entry and the server-answered ones.</summary>
    public int QueuedCount => Builder.CommandCount + _serverCommands.Count;

    public void Open()
    {
        IsOpen = true;
        Failed = false;
        Builder.ClearCommands();
        ClearServerCommands();
    }

    public void MarkFailed() => Failed = IsOpen || Failed;

    /// <summary>Queues a server command; its arguments are copied, the connection reuses its own.</summary>
    public void QueueServerCommand(CommandSpec spec, CommandArgs args)
    {
        var copy = new CommandArgs(Math.Max(16, args.ByteCount), Math.Max(2, args.Count));
        for (var i = 0; i < args.Count; i++)
        {
            copy.Add(args[i]);
        }
        _serverCommands.Add(new QueuedServerCommand(QueuedCount, spec, copy));
    }

    /// <summary>
    /// Hands the queued server commands to EXEC, which owns (and disposes) them from then on, so
    /// that <see cref="Reset"/> can run before EXEC awaits the log.
    /// </summary>
    public List<QueuedServerCommand> TakeServerCommands()
    {
        var taken = new List<QueuedServerCommand>(_serverCommands);
        _serverCommands.Clear();
        return taken;
    }

    /// <summary>After EXEC, DISCARD or RESET: no transaction, no watched keys.</summary>
    public void Reset()
    {
        IsOpen = false;
        Failed = false;
        Builder.Clear();
        ClearServerCommands();
    }

    private void ClearServerCommands()
    {
        foreach (var queued in _serverCommands)
        {
            queued.Args.Dispose();
        }
        _serverCommands.Clear();
    }
}

/// <summary>A server command queued inside MULTI and the index of its reply in EXEC's array.</summary>
public sealed record QueuedServerCommand(int Position, CommandSpec Spec, CommandArgs Args);
