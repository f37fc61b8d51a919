using Dst.Protocol;

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
    /// <summary>Change replicated settings (the encoding thresholds): name/value pairs, applied all or none.</summary>
    Configure = 5,
    /// <summary>
    /// Commands a connection pipelined, back to back, each applied and replied to in turn as if each had
    /// its own entry (not atomically, unlike <see cref="Multi"/>): one entry, one pass of the log's and
    /// Raft's per-entry work, for a whole pipelined batch. Version 4 on.
    /// </summary>
    Batch = 6,
}

/// <summary>
/// The fixed part of every write entry. A non-zero <paramref name="ClientId"/> makes the write part of
/// an exactly-once session: <paramref name="Sequence"/> numbers it within the session, the reply is
/// kept (in <paramref name="ReplyVersion"/>) for a retry, and <paramref name="AckedThrough"/> is the
/// highest sequence below which the client holds every reply (so those replies can be dropped).
/// </summary>
public readonly record struct WriteEntryHeader(WriteEntryKind Kind, long TimestampMs, ulong ClientId, ulong Sequence, RespVersion ReplyVersion = RespVersion.Resp2, ulong AckedThrough = 0)
{
    public bool HasSession => ClientId != 0;
}

/// <summary>The session fields of a write entry (see <see cref="WriteEntryHeader"/>); <see cref="None"/> for a plain write.</summary>
public readonly record struct EntrySession(ulong ClientId, ulong Sequence, RespVersion ReplyVersion, ulong AckedThrough)
{
    public static EntrySession None => default;
}

/// <summary>A payload that is not a valid write entry: a bug somewhere, never silently applied.</summary>
public class WriteEntryFormatException(string message) : FormatException(message);

/// <summary>
/// An entry of a format version later than this build's: written by a newer build, whose way of
/// applying it this build does not know. Unlike a malformed entry it must not be skipped, since the
/// replicas that do know it apply it: the node stops until it runs a build that can (docs/operations.md, Upgrading).
/// </summary>
public sealed class UnsupportedEntryVersionException(byte version)
    : WriteEntryFormatException($"write entry version {version} is not supported by this build (it reads versions up to {WriteEntryWriter.Version}): upgrade it");
