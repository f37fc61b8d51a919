using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands;

/// <summary>
/// What a handler runs against: the keyspace, "now", and where its reply goes. The state machine
/// owns one instance and refills it for every command, so running a command allocates nothing here.
/// </summary>
public sealed class CommandContext
{
    internal CommandContext(Keyspace keyspace, StateMachineOptions options, RespWriter discard)
    {
        Keyspace = keyspace;
        Options = options;
        Reply = discard;
    }

    public Keyspace Keyspace { get; }

    /// <summary>The state machine's current settings; replaced when a Configure entry or a snapshot changes them.</summary>
    public StateMachineOptions Options { get; internal set; }

    /// <summary>The entry timestamp when applying, the reader's clock when reading (Unix milliseconds).</summary>
    public long NowMs => Keyspace.NowMs;

    /// <summary>Where the reply goes; on replay and on followers a writer whose output is discarded.</summary>
    public RespWriter Reply { get; private set; }

    /// <summary>True when no client waits for the reply (log replay, followers).</summary>
    public bool IsReplay { get; private set; }

    /// <summary>True on the apply path (a log entry), false on the read path.</summary>
    public bool IsApplying => Keyspace.DeletesExpired;

    /// <summary>A reusable list for commands that gather items before replying (SCAN, KEYS).</summary>
    internal List<object> ScratchItems { get; } = [];

    internal void Begin(long nowMs, bool applying, RespWriter reply, bool replay)
    {
        Keyspace.BeginCommand(nowMs, applying);
        Reply = reply;
        IsReplay = replay;
        BlockedOnKeys = false;
        ChangedNothing = false;
        ChangedKeyPositions.Clear();
        EntryIndex = 0;
    }

    /// <summary>
    /// Set by a blocking command (BLPOP, BLMOVE, BZPOPMIN, ...) whose attempt found nothing to pop:
    /// it changed nothing and replied what a client that cannot block gets; the server parks the
    /// client on the command's keys instead (contract: Lists/ListCommands.cs).
    /// </summary>
    public bool BlockedOnKeys { get; private set; }

    public void MarkBlockedOnKeys() => BlockedOnKeys = true;

    /// <summary>
    /// Set by a write that found nothing to change (SADD of members already there, SREM of absent ones,
    /// ZADD of the scores members have, ...): applying it marks none of its keys as modified, so a WATCH
    /// of them holds, as Redis signals only the keys a command changed. A write that does not say so
    /// counts as having written its keys.
    /// </summary>
    public bool ChangedNothing { get; private set; }

    public void ReportNothingChanged() => ChangedNothing = true;

    /// <summary>
    /// Positions of the arguments naming the only keys a write changed, when it says so (DEL a b that
    /// deletes b alone): applying it marks just those for WATCH. Empty: every key it names counts.
    /// </summary>
    internal List<int> ChangedKeyPositions { get; } = [];

    public void ReportChangedKey(int argumentPosition) => ChangedKeyPositions.Add(argumentPosition);

    /// <summary>
    /// Finds a key that must hold a string. Returns false after replying WRONGTYPE when it holds
    /// another type; otherwise true with the slot, or -1 when the key is missing.
    /// </summary>
    public bool TryFindString(ReadOnlySpan<byte> key, out int slot)
    {
        slot = Keyspace.Find(key);
        if (slot >= 0 && Keyspace.KindAt(slot) != ValueKind.String)
        {
            Reply.WriteError(CommandErrors.WrongType);
            return false;
        }
        return true;
    }

    /// <summary>
    /// Finds a key that must hold a <typeparamref name="T"/> (hash, set, ...). Returns false after
    /// replying WRONGTYPE when it holds another type; otherwise true with the value, or null when missing.
    /// On the apply path the value is the one to change in place (<see cref="Keyspace.ObjectForWrite"/>:
    /// copied first when a snapshot being written still references it), so no handler can miss that step.
    /// </summary>
    public bool TryFindObject<T>(ReadOnlySpan<byte> key, out T? value)
        where T : StoredObject
    {
        var slot = Keyspace.Find(key);
        value = null;
        if (slot < 0)
        {
            return true;
        }
        if (Keyspace.KindAt(slot) != ValueKind.String && Keyspace.ObjectAt(slot) is T)
        {
            value = (T)(IsApplying ? Keyspace.ObjectForWrite(slot) : Keyspace.ObjectAt(slot));
            return true;
        }
        Reply.WriteError(CommandErrors.WrongType);
        return false;
    }

    /// <summary>
    /// Index of the log entry being applied, 0 on the read path. The state machine sets it so
    /// commands that draw random numbers (SPOP) seed them from the entry.
    /// </summary>
    public ulong EntryIndex { get; internal set; }

    /// <summary>
    /// A seed for the command's random draws: a function of the entry (index, timestamp) and of
    /// <paramref name="salt"/> (the key, say), so every replica applying the entry draws the same numbers.
    /// On the read path it varies with the reader's clock, which is all a read needs.
    /// </summary>
    public ulong RandomSeed(ReadOnlySpan<byte> salt) =>
        ((ulong)KeyHash.Compute(salt) << 32) ^ (EntryIndex * 0x9E3779B97F4A7C15) ^ (ulong)NowMs;

    /// <summary>Parses an integer argument, replying "not an integer" when it is not one.</summary>
    public bool TryParseInteger(ReadOnlySpan<byte> argument, out long value)
    {
        if (Integers.TryParse(argument, out value))
        {
            return true;
        }
        Reply.WriteError(CommandErrors.NotInteger);
        return false;
    }
}
