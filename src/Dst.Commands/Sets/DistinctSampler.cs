namespace Dst.Commands.Sets;

/// <summary>
/// A collection whose elements are addressed by handles in [0, <see cref="HandleLimit"/>): the
/// index in a compact encoding, the slot in a table (where some handles are empty slots).
/// </summary>
internal interface ISampleable
{
    int Count { get; }

    int HandleLimit { get; }

    bool IsHandle(int handle);

    int RandomHandle(ref SeededRandom random);
}

/// <summary>
/// Picks distinct elements at random for SRANDMEMBER, HRANDFIELD and SPOP with a positive count,
/// with Redis's two strategies: when the pick is a large share of the collection, shuffle all
/// handles and keep a prefix; otherwise draw until enough distinct handles were seen.
/// </summary>
internal static class DistinctSampler
{
    /// <summary>Fills <paramref name="into"/> with <paramref name="count"/> distinct handles; <paramref name="count"/> is below the size.</summary>
    public static void Pick<T>(T collection, int count, ref SeededRandom random, List<int> into)
        where T : ISampleable
    {
        into.Clear();
        if (count * 3L > collection.Count)
        {
            for (var handle = 0; handle < collection.HandleLimit; handle++)
            {
                if (collection.IsHandle(handle))
                {
                    into.Add(handle);
                }
            }
            // A partial Fisher-Yates shuffle: the first `count` places get a uniform sample.
            for (var i = 0; i < count; i++)
            {
                var j = i + random.Next(into.Count - i);
                (into[i], into[j]) = (into[j], into[i]);
            }
            into.RemoveRange(count, into.Count - count);
            return;
        }
        var seen = new HashSet<int>(count);
        while (into.Count < count)
        {
            var handle = collection.RandomHandle(ref random);
            if (seen.Add(handle))
            {
                into.Add(handle);
            }
        }
    }
}
