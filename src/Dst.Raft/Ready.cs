namespace Dst.Raft;

/// <summary>
/// Work handed to the application: persist <see cref="Snapshot"/>, <see cref="Entries"/> and
/// <see cref="HardState"/>; send <see cref="Messages"/>; apply <see cref="CommittedEntries"/>; serve
/// <see cref="ReadStates"/>; then call <see cref="RawNode.Advance"/>. The instance is reused: it is
/// valid until that call.
/// </summary>
public sealed class Ready
{
    public SoftState? SoftState { get; internal set; }

    /// <summary>Set when the hard state changed and must be persisted (before sending messages).</summary>
    public HardState? HardState { get; internal set; }

    public Snapshot? Snapshot { get; internal set; }

    public List<Entry> Entries { get; } = [];

    public List<Entry> CommittedEntries { get; } = [];

    public List<Message> Messages { get; } = [];

    public List<ReadState> ReadStates { get; } = [];

    /// <summary>Whether the writes must be fsynced before messages go out (new entries, term or vote).</summary>
    public bool MustSync { get; internal set; }

    internal void Clear()
    {
        SoftState = null;
        HardState = null;
        Snapshot = null;
        Entries.Clear();
        CommittedEntries.Clear();
        Messages.Clear();
        ReadStates.Clear();
        MustSync = false;
    }
}
