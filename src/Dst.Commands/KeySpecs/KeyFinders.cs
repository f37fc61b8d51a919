using System.Text;
using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.KeySpecs;

/// <summary>The key finders the command table declares, each mirroring a Redis 7 key spec shape.</summary>
public static class KeyFinders
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<KeyFinder, CountedKeys> Counted = [];

    /// <summary>
    /// Keys listed after a count: <c>LMPOP numkeys key ...</c> (count at 1), <c>BLMPOP timeout numkeys key ...</c>
    /// (count at 2), and with <paramref name="destination"/> &gt; 0 a stored-to key before the count
    /// (<c>ZUNIONSTORE destination numkeys key ...</c>), reported first with flags set 0.
    /// </summary>
    public static KeyFinder AfterCount(int countAt, int destination = 0)
    {
        KeyFinder finder = (args, keys) => FindAfterCount(args, keys, countAt, destination);
        Counted.Add(finder, new CountedKeys(countAt, destination));
        return finder;
    }

    /// <summary>What an <see cref="AfterCount"/> finder looks for, so COMMAND INFO can show it as Redis's keynum key spec.</summary>
    public static bool TryDescribe(KeyFinder finder, out CountedKeys shape) => Counted.TryGetValue(finder, out shape!);

    /// <summary>
    /// SET's flags depend on GET: without it the key is only overwritten (flags set 1), with it the
    /// old value is read too (flags set 2); set 0 is the union COMMAND INFO shows, flagged
    /// variable_flags. The position is first/last/step's.
    /// </summary>
    public static KeyFinder SetWithOptionalGet { get; } = (args, keys) =>
    {
        var get = false;
        for (var i = 3; i < args.Count; i++)
        {
            get |= Ascii.EqualsIgnoreCase(args[i], "GET"u8);
        }
        keys.Add(new KeyReference(1, get ? 2 : 1));
        return true;
    };

    /// <summary>
    /// Redis first reads the count strictly (string2ll) and takes numkeys keys that must all be present;
    /// when that fails it falls back to its getkeys_proc, which reads the count with atoi, accepts it when
    /// it is at least 1 and fits, and lists the destination last, without flags.
    /// </summary>
    private static bool FindAfterCount(CommandArgs args, List<KeyReference> keys, int countAt, int destination)
    {
        var start = keys.Count;
        var sourceFlags = destination > 0 ? 1 : 0;
        if (countAt < args.Count && Integers.TryParse(args[countAt], out var strict) && strict >= 1 && strict < args.Count - countAt)
        {
            if (destination > 0)
            {
                keys.Add(new KeyReference(destination, 0));
            }
            for (var i = 1; i <= strict; i++)
            {
                keys.Add(new KeyReference(countAt + i, sourceFlags));
            }
            return true;
        }
        var lenient = countAt < args.Count ? Atoi(args[countAt]) : 0;
        if (lenient < 1 || lenient > args.Count - (countAt + 1))
        {
            keys.RemoveRange(start, keys.Count - start);
            return false;
        }
        for (var i = 1; i <= lenient; i++)
        {
            keys.Add(new KeyReference(countAt + i, -1));
        }
        if (destination > 0)
        {
            keys.Add(new KeyReference(destination, -1));
        }
        return true;
    }

    /// <summary>C's atoi: leading spaces, an optional sign, then digits up to the first non-digit; saturates instead of overflowing.</summary>
    private static long Atoi(ReadOnlySpan<byte> text)
    {
        var i = 0;
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r')
        {
            i++;
        }
        var negative = false;
        if (i < text.Length && text[i] is (byte)'+' or (byte)'-')
        {
            negative = text[i] == (byte)'-';
            i++;
        }
        long value = 0;
        for (; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            value = Math.Min(int.MaxValue, (value * 10) + (text[i] - '0'));
        }
        return negative ? -value : value;
    }
}

/// <summary>Keys after the count at <see cref="CountAt"/>, with a destination key at <see cref="Destination"/> when it is above 0.</summary>
public sealed record CountedKeys(int CountAt, int Destination);
