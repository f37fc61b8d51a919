namespace Dst.Raft.Tests.Simulation;

/// <summary>How a cut link loses messages, and who can tell.</summary>
public enum LinkCut
{
    /// <summary>
    /// Messages vanish and nobody is told: a one-way partition, a firewall or proxy dropping data.
    /// A TCP sender cannot tell this from a slow peer.
    /// </summary>
    Silent,

    /// <summary>
    /// The sender's own outbound connection is down (refused, reset): its transport drops what it
    /// is given and reports the peer unreachable, as PeerLink does while it redials.
    /// </summary>
    Down,
}

/// <summary>What became of a message when it was due.</summary>
public enum Arrival
{
    Delivered,

    /// <summary>Dropped at random or by a silent cut: nobody knows.</summary>
    LostSilently,

    /// <summary>The sender's connection went down while the message travelled: the sender's transport knows.</summary>
    ConnectionBroke,
}

/// <summary>
/// A network that delays, drops, duplicates and reorders messages, and cuts directed links, each
/// either silently or with the sender's connection down, for good or until a given time.
/// Random drops are silent. Deterministic given its random source.
/// </summary>
public sealed class SimNetwork(SeededRandom random)
{
    private readonly PriorityQueue<(Message Message, int SenderIncarnation, bool Dropped), (long Time, long Seq)> _inFlight = new();
    private readonly Dictionary<(ulong From, ulong To), (LinkCut Kind, long Until)> _cuts = [];
    private long _sequence;

    /// <summary>Drop probability in percent.</summary>
    public int DropPercent { get; set; }

    public int DuplicatePercent { get; set; }

    public int MaxDelay { get; set; } = 12;

    public int InFlight => _inFlight.Count;

    public long Dropped { get; private set; }

    /// <summary>The cut on a link at <paramref name="now"/>, if any.</summary>
    public LinkCut? CutOf(ulong from, ulong to, long now) =>
        _cuts.TryGetValue((from, to), out var cut) && cut.Until > now ? cut.Kind : null;

    /// <summary>
    /// Queues a message that the sender's transport accepted; whether it arrives is decided when it
    /// is due. The sender's incarnation travels along: a broken connection is news only to the
    /// process that opened it.
    /// </summary>
    public void Send(Message message, int senderIncarnation, long now)
    {
        var dropped = random.Next(100) < DropPercent;
        _inFlight.Enqueue((message, senderIncarnation, dropped), (now + 1 + random.Next(MaxDelay), _sequence++));
        if (random.Next(100) < DuplicatePercent)
        {
            _inFlight.Enqueue((message, senderIncarnation, false), (now + 1 + random.Next(MaxDelay * 2), _sequence++));
        }
    }

    /// <summary>The next message due at or before <paramref name="now"/>, and what became of it.</summary>
    public bool TryReceive(long now, out Message message, out int senderIncarnation, out Arrival arrival)
    {
        message = default;
        senderIncarnation = 0;
        arrival = Arrival.Delivered;
        if (!_inFlight.TryPeek(out var next, out var at) || at.Time > now)
        {
            return false;
        }
        _inFlight.Dequeue();
        message = next.Message;
        senderIncarnation = next.SenderIncarnation;
        arrival = CutOf(message.From, message.To, now) switch
        {
            LinkCut.Down => Arrival.ConnectionBroke,
            LinkCut.Silent => Arrival.LostSilently,
            _ => next.Dropped ? Arrival.LostSilently : Arrival.Delivered,
        };
        if (arrival != Arrival.Delivered)
        {
            Dropped++;
        }
        return true;
    }

    /// <summary>Cuts the link <paramref name="from"/> → <paramref name="to"/> until <paramref name="until"/> (or a heal).</summary>
    public void Cut(ulong from, ulong to, LinkCut kind, long until = long.MaxValue) => _cuts[(from, to)] = (kind, until);

    /// <summary>Separates <paramref name="group"/> from every other node in <paramref name="all"/>, both ways.</summary>
    public void Isolate(IEnumerable<ulong> group, IEnumerable<ulong> all, LinkCut kind)
    {
        var inside = group.ToHashSet();
        foreach (var a in inside)
        {
            foreach (var b in all)
            {
                if (!inside.Contains(b))
                {
                    Cut(a, b, kind);
                    Cut(b, a, kind);
                }
            }
        }
    }

    public void Heal() => _cuts.Clear();

    public string DescribePartition(long now)
    {
        var cuts = _cuts.Where(c => c.Value.Until > now).OrderBy(c => c.Key).ToList();
        return cuts.Count == 0
            ? "none"
            : string.Join(" ", cuts.Select(c => $"{c.Key.From}-{(c.Value.Kind == LinkCut.Silent ? "x" : "down")}->{c.Key.To}"));
    }
}
