using Dst.Commands.Entries;
using Dst.Protocol;

namespace Dst.Server.Networking;

/// <summary>
/// The exactly-once session a connection's writes are numbered in (DST.SESSION). Each write takes
/// the next sequence; the client resumes a session on a new connection at the first sequence whose
/// reply it did not get and sends those writes again, in order: the ones already applied are
/// answered from the replies the state machine kept, the others are applied.
/// </summary>
public sealed class ConnectionSession(ulong id, ulong nextSequence)
{
    public ulong Id { get; } = id;

    public ulong NextSequence { get; private set; } = nextSequence;

    /// <summary>Resuming at a sequence says the client holds every reply before it.</summary>
    private ulong AckedThrough { get; } = nextSequence - 1;

    public EntrySession Next(RespVersion replyVersion) => new(Id, NextSequence++, replyVersion, AckedThrough);
}
