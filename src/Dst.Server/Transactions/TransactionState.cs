using Dst.Commands.Transactions;

namespace Dst.Server.Transactions;

/// <summary>One connection's transaction: WATCHed keys, whether MULTI is open, what is queued, and whether queueing failed.</summary>
public sealed class TransactionState
{
    public TransactionBuilder Builder { get; } = new();

    /// <summary>Between MULTI and EXEC/DISCARD: commands are queued, not run.</summary>
    public bool IsOpen { get; private set; }

    /// <summary>A command was refused while queueing: EXEC will answer EXECABORT.</summary>
    public bool Failed { get; private set; }

    public void Open()
    {
        IsOpen = true;
        Failed = false;
        Builder.ClearCommands();
    }

    public void MarkFailed() => Failed = IsOpen || Failed;

    /// <summary>After EXEC, DISCARD or RESET: no transaction, no watched keys.</summary>
    public void Reset()
    {
        IsOpen = false;
        Failed = false;
        Builder.Clear();
    }
}
