namespace Dst.Raft.Tests.Simulation;

/// <summary>
/// A network that delays, drops, duplicates and reorders messages, and partitions nodes
/// (any directed link can be cut). Deterministic given its random source.
/// </summary>
public sealed class SimNetwork(SeededRandom random)
{
    private readonly PriorityQueue<(Message Message, bool Lost), (long Time, long Seq)> _inFlight = new();
    private readonly HashSet<(ulong From, ulong To)> _cut = [];
    private long _sequence;

    /// <summary>Drop probability in percent.</summary>
    public int DropPercent { get; set; }

    public int DuplicatePercent { get; set; }

    public int MaxDelay { get; set; } = 12;

    public int InFlight => _inFlight.Count;

    public long Dropped { get; private set; }

    /// <summary>
    /// Queues a message. A lost message still travels, so that its loss is noticed at the time it
    /// would have arrived (as a transport notices a broken connection).
    /// </summary>
    public void Send(Message message, long now)
    {
        var lost = random.Next(100) < DropPercent;
        _inFlight.Enqueue((message, lost), (now + 1 + random.Next(MaxDelay), _sequence++));
        if (random.Next(100) < DuplicatePercent)
        {
            _inFlight.Enqueue((message, false), (now + 1 + random.Next(MaxDelay * 2), _sequence++));
        }
    }

    /// <summary>The next message due at or before <paramref name="now"/>, and whether it was lost (dropped or cut off).</summary>
    public bool TryReceive(long now, out Message message, out bool lost)
    {
        message = default;
        lost = false;
        if (!_inFlight.TryPeek(out var next, out var at) || at.Time > now)
        {
            return false;
        }
        _inFlight.Dequeue();
        message = next.Message;
        lost = next.Lost || _cut.Contains((message.From, message.To));
        if (lost)
        {
            Dropped++;
        }
        return true;
    }

    public bool IsCut(ulong from, ulong to) => _cut.Contains((from, to));

    public void Cut(ulong from, ulong to) => _cut.Add((from, to));

    public void CutBothWays(ulong a, ulong b)
    {
        _cut.Add((a, b));
        _cut.Add((b, a));
    }

    /// <summary>Separates <paramref name="group"/> from every other node in <paramref name="all"/>.</summary>
    public void Isolate(IEnumerable<ulong> group, IEnumerable<ulong> all)
    {
        var inside = group.ToHashSet();
        foreach (var a in inside)
        {
            foreach (var b in all)
            {
                if (!inside.Contains(b))
                {
                    CutBothWays(a, b);
                }
            }
        }
    }

    public void Heal() => _cut.Clear();

    public string DescribePartition() => _cut.Count == 0 ? "none" : string.Join(" ", _cut.Order().Select(c => $"{c.From}-x->{c.To}"));
}
