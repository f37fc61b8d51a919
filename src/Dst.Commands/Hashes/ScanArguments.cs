using System.Buffers.Text;
using Dst.Commands.Keys;
using Dst.Protocol;

namespace Dst.Commands.Hashes;

/// <summary>
/// The cursor and options of HSCAN and SSCAN (Redis's <c>scanGenericCommand</c>): MATCH pattern,
/// COUNT n (at least 1), and NOVALUES for hashes only. Anything else is a syntax error.
/// </summary>
internal ref struct ScanArguments
{
    public ulong Cursor;
    public int Count;
    public ReadOnlySpan<byte> Pattern;
    public bool NoValues;

    private bool _matchesAll;

    /// <summary>The empty reply for a missing key: cursor 0, no elements.</summary>
    public static ReadOnlySpan<byte> EmptyReply => "*2\r\n$1\r\n0\r\n*0\r\n"u8;

    /// <summary>Parses the cursor (argument 2); Redis checks it before it looks the key up.</summary>
    public static bool TryParseCursor(CommandContext context, CommandArgs args, out ulong cursor)
    {
        if (Utf8Parser.TryParse(args[2], out cursor, out var consumed) && consumed == args[2].Length)
        {
            return true;
        }
        context.Reply.WriteError(CommandErrors.InvalidCursor);
        return false;
    }

    /// <summary>Parses the options from argument 3 on; replies with the error and returns false on bad input.</summary>
    public static bool TryParseOptions(CommandContext context, CommandArgs args, ulong cursor, bool allowNoValues, out ScanArguments scan)
    {
        scan = new ScanArguments { Cursor = cursor, Count = 10, _matchesAll = true };
        for (var i = 3; i < args.Count; i++)
        {
            var hasValue = i + 1 < args.Count;
            if (hasValue && args.EqualsIgnoreCase(i, "COUNT"u8))
            {
                if (!context.TryParseInteger(args[++i], out var count))
                {
                    return false;
                }
                if (count < 1)
                {
                    context.Reply.WriteError(CommandErrors.Syntax);
                    return false;
                }
                scan.Count = (int)Math.Min(count, int.MaxValue / 10);
            }
            else if (hasValue && args.EqualsIgnoreCase(i, "MATCH"u8))
            {
                scan.Pattern = args[++i];
                scan._matchesAll = GlobMatcher.MatchesEverything(scan.Pattern);
            }
            else if (allowNoValues && args.EqualsIgnoreCase(i, "NOVALUES"u8))
            {
                scan.NoValues = true;
            }
            else
            {
                context.Reply.WriteError(CommandErrors.Syntax);
                return false;
            }
        }
        return true;
    }

    public readonly bool Matches(ReadOnlySpan<byte> element) => _matchesAll || GlobMatcher.IsMatch(Pattern, element);

    /// <summary>The reply's first half: the outer array and the next cursor as a bulk string.</summary>
    public static void WriteCursor(RespWriter reply, ulong next)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(next, digits, out var written);
        reply.WriteArrayHeader(2);
        reply.WriteBulkString(digits[..written]);
    }
}
