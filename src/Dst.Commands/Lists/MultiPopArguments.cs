using System.Text;
using Dst.Protocol;

namespace Dst.Commands.Lists;

/// <summary>
/// The shared tail of LMPOP, BLMPOP, ZMPOP and BZMPOP: <c>numkeys key [key ...] FIRST|SECOND [COUNT count]</c>,
/// parsed as Redis's <c>mpopGenericCommand</c> does, with its error texts.
/// </summary>
internal readonly record struct MultiPopArguments(int FirstKey, int KeyCount, bool First, long Count)
{
    public const string NumKeysError = "ERR numkeys should be greater than 0";
    public const string CountError = "ERR count should be greater than 0";

    /// <summary>
    /// Parses from <paramref name="numKeysIndex"/>; <paramref name="first"/> / <paramref name="second"/>
    /// name the two ends (LEFT/RIGHT, MIN/MAX). <see cref="First"/> is true for the first name.
    /// </summary>
    public static bool TryParse(CommandContext context, CommandArgs args, int numKeysIndex, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, out MultiPopArguments parsed)
    {
        parsed = default;
        if (!RangeArgument.TryParse(context, args[numKeysIndex], 1, long.MaxValue, NumKeysError, out var numKeys))
        {
            return false;
        }
        var whereIndex = numKeysIndex + 1 + numKeys;
        if (whereIndex >= args.Count)
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return false;
        }
        var where = args[(int)whereIndex];
        var isFirst = Ascii.EqualsIgnoreCase(where, first);
        if (!isFirst && !Ascii.EqualsIgnoreCase(where, second))
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return false;
        }
        var count = -1L;
        for (var i = (int)whereIndex + 1; i < args.Count; i++)
        {
            if (count == -1 && i + 1 < args.Count && args.EqualsIgnoreCase(i, "COUNT"u8))
            {
                if (!RangeArgument.TryParse(context, args[++i], 1, long.MaxValue, CountError, out count))
                {
                    return false;
                }
            }
            else
            {
                context.Reply.WriteError(CommandErrors.Syntax);
                return false;
            }
        }
        parsed = new MultiPopArguments(numKeysIndex + 1, (int)numKeys, isFirst, count == -1 ? 1 : count);
        return true;
    }
}
