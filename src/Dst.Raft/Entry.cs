using System.Runtime.InteropServices;

namespace Dst.Raft;

/// <summary>What a log entry carries: an application command, or a change to the group's membership.</summary>
public enum EntryType : byte
{
    Normal = 0,
    ConfChange = 1,
}

/// <summary>
/// One Raft log entry. <see cref="Data"/> is opaque to the consensus core; the state machine
/// decodes it. An empty Normal entry is what a new leader appends to commit its term.
/// </summary>
public readonly record struct Entry(ulong Term, ulong Index, EntryType Type, ReadOnlyMemory<byte> Data)
{
    /// <summary>Bytes this entry counts for in size limits (inflight bytes, uncommitted cap, message size).</summary>
    public int PayloadSize => Data.Length;

    /// <summary>
    /// <paramref name="entries"/> as a span: a Ready hands out lists, which storage reads this way rather
    /// than through the interface, entry by entry.
    /// </summary>
    public static ReadOnlySpan<Entry> AsSpan(IReadOnlyList<Entry> entries) => entries switch
    {
        List<Entry> list => CollectionsMarshal.AsSpan(list),
        Entry[] array => array,
        _ => entries.ToArray(),
    };
}

/// <summary>The state a node must persist before it answers a vote or an append.</summary>
public readonly record struct HardState(ulong Term, ulong Vote, ulong Commit)
{
    public static readonly HardState Empty = default;
    public bool IsEmpty => Term == 0 && Vote == 0 && Commit == 0;
}
