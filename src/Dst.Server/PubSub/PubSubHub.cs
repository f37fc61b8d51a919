using Dst.Commands.Keys;

namespace Dst.Server.PubSub;

/// <summary>
/// Node-local channels and patterns and who listens to them. PUBLISH formats the message into each
/// subscriber's bounded outbox and returns at once: a slow subscriber never blocks a publisher (it
/// is disconnected when its outbox overflows, see <see cref="Subscriber"/>).
/// </summary>
public sealed class PubSubHub
{
    private readonly Lock _gate = new();
    private readonly Dictionary<byte[], HashSet<Subscriber>> _channels = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], HashSet<Subscriber>> _patterns = new(ByteKeyComparer.Instance);

    /// <summary>Adds the subscription; false when the subscriber already had it.</summary>
    public bool Add(Subscriber subscriber, byte[] name, bool pattern)
    {
        lock (_gate)
        {
            var map = pattern ? _patterns : _channels;
            if (!map.TryGetValue(name, out var listeners))
            {
                listeners = [];
                map.Add(name, listeners);
            }
            return listeners.Add(subscriber);
        }
    }

    public void Remove(Subscriber subscriber, byte[] name, bool pattern)
    {
        lock (_gate)
        {
            var map = pattern ? _patterns : _channels;
            if (map.TryGetValue(name, out var listeners) && listeners.Remove(subscriber) && listeners.Count == 0)
            {
                map.Remove(name);
            }
        }
    }

    /// <summary>Delivers to the channel's subscribers, then to every matching pattern's; returns how many deliveries were made.</summary>
    public int Publish(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
    {
        var receivers = 0;
        lock (_gate)
        {
            if (_channels.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(channel, out var listeners))
            {
                foreach (var subscriber in listeners)
                {
                    subscriber.Deliver(null, channel, message);
                    receivers++;
                }
            }
            foreach (var (pattern, patternListeners) in _patterns)
            {
                if (!GlobMatcher.IsMatch(pattern, channel))
                {
                    continue;
                }
                foreach (var subscriber in patternListeners)
                {
                    subscriber.Deliver(pattern, channel, message);
                    receivers++;
                }
            }
        }
        return receivers;
    }

    /// <summary>PUBSUB CHANNELS: active channels (with at least one subscriber), optionally matching a glob.</summary>
    public List<byte[]> Channels(ReadOnlySpan<byte> pattern, bool all)
    {
        lock (_gate)
        {
            var names = new List<byte[]>();
            foreach (var name in _channels.Keys)
            {
                if (all || GlobMatcher.IsMatch(pattern, name))
                {
                    names.Add(name);
                }
            }
            return names;
        }
    }

    public int SubscriberCount(ReadOnlySpan<byte> channel)
    {
        lock (_gate)
        {
            return _channels.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(channel, out var listeners) ? listeners.Count : 0;
        }
    }

    /// <summary>PUBSUB NUMPAT: distinct patterns subscribed to by any client.</summary>
    public int PatternCount
    {
        get
        {
            lock (_gate)
            {
                return _patterns.Count;
            }
        }
    }
}
