namespace Dst.Commands.Entries;

/// <summary>What a write entry asks the state machine to do. The numbers are part of the log format.</summary>
public enum WriteEntryKind : byte
{
    /// <summary>One command with its arguments.</summary>
    Command = 1,
    /// <summary>Delete each listed key if it is still expired at the entry's timestamp (active expiry).</summary>
    ExpireIfDue = 2,
    /// <summary>Several commands applied atomically, replied to as one array (MULTI/EXEC).</summary>
    Multi = 3,
    /// <summary>Nothing to apply; only advances the applied index.</summary>
    Noop = 4,
}

/// <summary>The fixed part of every write entry.</summary>
public readonly record struct WriteEntryHeader(WriteEntryKind Kind, long TimestampMs, ulong ClientId, ulong Sequence);

/// <summary>A payload that is not a valid write entry: a bug somewhere, never silently applied.</summary>
public sealed class WriteEntryFormatException(string message) : FormatException(message);
