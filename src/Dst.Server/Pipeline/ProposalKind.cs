namespace Dst.Server.Pipeline;

/// <summary>What the log thread does with a queued proposal.</summary>
public enum ProposalKind : byte
{
    /// <summary>A client's write command: append, persist, apply, reply.</summary>
    Command,

    /// <summary>An expire-if-due entry from the active expiry cycle: nobody reads its reply.</summary>
    Internal,

    /// <summary>Not a log entry: take a snapshot at this point of the log (SAVE, BGSAVE, SHUTDOWN).</summary>
    Snapshot,
}
