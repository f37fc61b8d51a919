using Dst.Commands.Strings;

namespace Dst.Commands.SortedSets;

/// <summary>
/// A score interval as ZRANGEBYSCORE and friends take it: <c>1.5</c> inclusive, <c>(1.5</c>
/// exclusive, <c>-inf</c>/<c>+inf</c> unbounded. Its two bounds give the ranks where the matches
/// begin and end (<see cref="ScoreTree.CountBefore"/>), so an empty interval is simply start &gt;= end.
/// </summary>
internal readonly record struct ScoreRange(double Min, bool MinExclusive, double Max, bool MaxExclusive)
{
    public const string NotAFloat = "ERR min or max is not a float";

    public static bool TryParse(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, out ScoreRange range)
    {
        range = default;
        if (!TryParseBound(min, out var minValue, out var minExclusive) || !TryParseBound(max, out var maxValue, out var maxExclusive))
        {
            return false;
        }
        range = new ScoreRange(minValue, minExclusive, maxValue, maxExclusive);
        return true;
    }

    /// <summary>Ranks [start, end) of the members within the range.</summary>
    public (int Start, int End) Ranks(ScoreTree tree)
    {
        var start = tree.CountBefore(new BelowMin(Min, MinExclusive));
        var end = tree.CountBefore(new NotAboveMax(Max, MaxExclusive));
        return (start, Math.Max(start, end));
    }

    private static bool TryParseBound(ReadOnlySpan<byte> text, out double value, out bool exclusive)
    {
        exclusive = text.Length > 0 && text[0] == (byte)'(';
        return FloatText.TryParse(exclusive ? text[1..] : text, out value) && !double.IsNaN(value);
    }

    private readonly struct BelowMin(double min, bool exclusive) : IEntryBound
    {
        public bool IsBefore(byte[] entry)
        {
            var score = SortedSetEntry.Score(entry);
            return score < min || (exclusive && score == min);
        }
    }

    private readonly struct NotAboveMax(double max, bool exclusive) : IEntryBound
    {
        public bool IsBefore(byte[] entry)
        {
            var score = SortedSetEntry.Score(entry);
            return score < max || (!exclusive && score == max);
        }
    }
}

/// <summary>
/// A member interval as ZRANGEBYLEX takes it: <c>[a</c> inclusive, <c>(a</c> exclusive, <c>-</c>
/// and <c>+</c> unbounded. Meaningful, as in Redis, when all members share one score.
/// </summary>
internal sealed class LexRange
{
    public const string NotValid = "ERR min or max not valid string range item";

    private readonly Bound _min;
    private readonly Bound _max;

    private LexRange(Bound min, Bound max)
    {
        _min = min;
        _max = max;
    }

    public static LexRange? TryParse(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max) =>
        TryParseBound(min, out var low) && TryParseBound(max, out var high) ? new LexRange(low, high) : null;

    /// <summary>Ranks [start, end) of the members within the range.</summary>
    public (int Start, int End) Ranks(ScoreTree tree)
    {
        var start = tree.CountBefore(new Before(_min, inclusiveOfValue: _min.Exclusive));
        var end = tree.CountBefore(new Before(_max, inclusiveOfValue: !_max.Exclusive));
        return (start, Math.Max(start, end));
    }

    private static bool TryParseBound(ReadOnlySpan<byte> text, out Bound bound)
    {
        bound = default;
        if (text.Length == 1 && text[0] is (byte)'-' or (byte)'+')
        {
            bound = new Bound(null, text[0] == (byte)'+' ? 1 : -1, false);
            return true;
        }
        if (text.Length == 0 || text[0] is not ((byte)'[' or (byte)'('))
        {
            return false;
        }
        bound = new Bound(text[1..].ToArray(), 0, text[0] == (byte)'(');
        return true;
    }

    /// <summary>A member bound; <see cref="Infinity"/> -1 for "-", +1 for "+", 0 for a value.</summary>
    private readonly record struct Bound(byte[]? Value, int Infinity, bool Exclusive);

    /// <summary>Entries before the bound: members below its value, and equal ones too when <c>inclusiveOfValue</c>.</summary>
    private readonly struct Before(Bound bound, bool inclusiveOfValue) : IEntryBound
    {
        public bool IsBefore(byte[] entry)
        {
            if (bound.Infinity != 0)
            {
                return bound.Infinity > 0;
            }
            var order = SortedSetEntry.Member(entry).SequenceCompareTo(bound.Value);
            return order < 0 || (inclusiveOfValue && order == 0);
        }
    }
}
