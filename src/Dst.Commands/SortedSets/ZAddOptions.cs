using Dst.Commands.Strings;
using Dst.Protocol;

namespace Dst.Commands.SortedSets;

[Flags]
internal enum ZAddFlags
{
    None = 0,
    Nx = 1,
    Xx = 2,
    Gt = 4,
    Lt = 8,
    Ch = 16,
    Incr = 32,
}

/// <summary>
/// ZADD's flags, and its score/member pairs validated before anything is touched, as Redis's
/// <c>zaddGenericCommand</c> does: an invalid score anywhere means no member is added.
/// </summary>
internal readonly record struct ZAddOptions(ZAddFlags Flags, int FirstScore, int Pairs)
{
    public bool Has(ZAddFlags flag) => (Flags & flag) != 0;

    /// <summary>The score of pair <paramref name="pair"/>; <see cref="TryParse"/> has validated it.</summary>
    public double Score(CommandArgs args, int pair)
    {
        FloatText.TryParse(args[FirstScore + (pair * 2)], out var score);
        return score;
    }

    public ReadOnlySpan<byte> Member(CommandArgs args, int pair) => args[FirstScore + (pair * 2) + 1];

    public static bool TryParse(CommandContext context, CommandArgs args, out ZAddOptions options)
    {
        options = default;
        var flags = ParseFlags(args, out var index);
        var elements = args.Count - index;
        if (elements == 0 || elements % 2 != 0)
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return false;
        }
        if ((flags & (ZAddFlags.Nx | ZAddFlags.Xx)) == (ZAddFlags.Nx | ZAddFlags.Xx))
        {
            context.Reply.WriteError("ERR XX and NX options at the same time are not compatible");
            return false;
        }
        var nx = (flags & ZAddFlags.Nx) != 0;
        var gt = (flags & ZAddFlags.Gt) != 0;
        var lt = (flags & ZAddFlags.Lt) != 0;
        if ((gt && nx) || (lt && nx) || (gt && lt))
        {
            context.Reply.WriteError("ERR GT, LT, and/or NX options at the same time are not compatible");
            return false;
        }
        if ((flags & ZAddFlags.Incr) != 0 && elements > 2)
        {
            context.Reply.WriteError("ERR INCR option supports a single increment-element pair");
            return false;
        }
        for (var i = index; i < args.Count; i += 2)
        {
            if (!FloatText.TryParse(args[i], out _))
            {
                context.Reply.WriteError(CommandErrors.NotFloat);
                return false;
            }
        }
        options = new ZAddOptions(flags, index, elements / 2);
        return true;
    }

    /// <summary>
    /// <see cref="CommandSpec.WouldChangeNothing"/> for ZADD: the sorted set exists and every pair leaves
    /// its member as it is (the member has that score, or NX, XX, GT or LT stops the pair). False for
    /// INCR and for a malformed pair. Flags that conflict make the handler refuse the command before
    /// changing anything, so they need no check here.
    /// </summary>
    public static bool WouldChangeNothing(CommandContext context, CommandArgs args)
    {
        var flags = ParseFlags(args, out var index);
        var elements = args.Count - index;
        if (elements == 0 || elements % 2 != 0 || (flags & ZAddFlags.Incr) != 0
            || context.Keyspace.FindObject<SortedSetObject>(args[1]) is not { } set)
        {
            return false;
        }
        for (var i = index; i < args.Count; i += 2)
        {
            if (!FloatText.TryParse(args[i], out var score))
            {
                return false;
            }
            var entry = set.Find(args[i + 1]);
            if (entry is null)
            {
                if ((flags & ZAddFlags.Xx) == 0)
                {
                    return false;
                }
                continue;
            }
            var current = SortedSetEntry.Score(entry);
            var keeps = (flags & ZAddFlags.Nx) != 0 || score == current
                || ((flags & ZAddFlags.Gt) != 0 && score <= current) || ((flags & ZAddFlags.Lt) != 0 && score >= current);
            if (!keeps)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The option words from argument 2 on; <paramref name="firstScore"/> is where the first word that is not one stands.</summary>
    private static ZAddFlags ParseFlags(CommandArgs args, out int firstScore)
    {
        var flags = ZAddFlags.None;
        for (firstScore = 2; firstScore < args.Count && ParseFlag(args[firstScore]) is var flag && flag != ZAddFlags.None; firstScore++)
        {
            flags |= flag;
        }
        return flags;
    }

    private static ZAddFlags ParseFlag(ReadOnlySpan<byte> word) => word.Length switch
    {
        2 when System.Text.Ascii.EqualsIgnoreCase(word, "NX"u8) => ZAddFlags.Nx,
        2 when System.Text.Ascii.EqualsIgnoreCase(word, "XX"u8) => ZAddFlags.Xx,
        2 when System.Text.Ascii.EqualsIgnoreCase(word, "GT"u8) => ZAddFlags.Gt,
        2 when System.Text.Ascii.EqualsIgnoreCase(word, "LT"u8) => ZAddFlags.Lt,
        2 when System.Text.Ascii.EqualsIgnoreCase(word, "CH"u8) => ZAddFlags.Ch,
        4 when System.Text.Ascii.EqualsIgnoreCase(word, "INCR"u8) => ZAddFlags.Incr,
        _ => ZAddFlags.None,
    };
}
