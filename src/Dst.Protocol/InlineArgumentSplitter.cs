using System.Buffers;

namespace Dst.Protocol;

/// <summary>
/// Splits an inline request line into arguments exactly as Redis's <c>sdssplitargs</c> does (the
/// quoting redis-cli understands): blanks separate arguments; <c>"..."</c> takes <c>\xHH</c>,
/// <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\b</c>, <c>\a</c> and <c>\&lt;any&gt;</c> escapes; <c>'...'</c> takes
/// only <c>\'</c>; a closing quote must be followed by a blank or the end of the line. Redis scans
/// a C string, so a NUL byte ends the line.
/// </summary>
internal static class InlineArgumentSplitter
{
    /// <summary>What ends an unquoted run: the separators of an unquoted token, or a quote that starts quoting.</summary>
    private static readonly SearchValues<byte> PlainTokenEnd = SearchValues.Create(" \n\r\t\"'"u8);

    /// <summary>Adds every argument of <paramref name="line"/> to <paramref name="args"/>; false on unbalanced quotes.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, CommandArgs args)
    {
        var nul = line.IndexOf((byte)0);
        if (nul >= 0)
        {
            line = line[..nul];
        }
        var position = 0;
        while (true)
        {
            while (position < line.Length && IsSpace(line[position]))
            {
                position++;
            }
            if (position == line.Length)
            {
                return true;
            }
            // Common case: a token with no quotes is a plain slice up to the next separator.
            var rest = line[position..];
            var end = rest.IndexOfAny(PlainTokenEnd);
            if (end < 0 || rest[end] is not ((byte)'"' or (byte)'\''))
            {
                var token = end < 0 ? rest : rest[..end];
                args.Add(token);
                position += token.Length;
                continue;
            }
            // Quoted: measure first, then decode straight into the argument buffer (no scratch copy).
            var start = position;
            var length = ReadToken(line, ref position, []);
            if (length < 0)
            {
                return false;
            }
            position = start;
            ReadToken(line, ref position, args.AddUninitialized(length));
        }
    }

    /// <summary>
    /// Reads one token starting at <paramref name="position"/> (a non-blank), writing its decoded
    /// bytes to <paramref name="output"/> when it is not empty. Returns the decoded length, or -1
    /// when a quote is unbalanced or a closing quote is followed by something other than a blank.
    /// </summary>
    private static int ReadToken(ReadOnlySpan<byte> line, ref int position, Span<byte> output)
    {
        var write = !output.IsEmpty;
        var length = 0;
        var inDoubleQuotes = false;
        var inSingleQuotes = false;
        var p = position;
        while (true)
        {
            var c = At(line, p);
            if (inDoubleQuotes)
            {
                if (c == (byte)'\\' && At(line, p + 1) == (byte)'x' && IsHexDigit(At(line, p + 2)) && IsHexDigit(At(line, p + 3)))
                {
                    Emit(output, write, ref length, (byte)(HexValue(At(line, p + 2)) * 16 + HexValue(At(line, p + 3))));
                    p += 4;
                    continue;
                }
                if (c == (byte)'\\' && At(line, p + 1) != 0)
                {
                    Emit(output, write, ref length, Unescape(At(line, p + 1)));
                    p += 2;
                    continue;
                }
                if (c == (byte)'"')
                {
                    return ClosesToken(line, p, ref position) ? length : -1;
                }
                if (c == 0)
                {
                    return -1;
                }
                Emit(output, write, ref length, c);
            }
            else if (inSingleQuotes)
            {
                if (c == (byte)'\\' && At(line, p + 1) == (byte)'\'')
                {
                    Emit(output, write, ref length, (byte)'\'');
                    p += 2;
                    continue;
                }
                if (c == (byte)'\'')
                {
                    return ClosesToken(line, p, ref position) ? length : -1;
                }
                if (c == 0)
                {
                    return -1;
                }
                Emit(output, write, ref length, c);
            }
            else
            {
                switch (c)
                {
                    case (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or 0:
                        position = c == 0 ? p : p + 1;
                        return length;
                    case (byte)'"':
                        inDoubleQuotes = true;
                        break;
                    case (byte)'\'':
                        inSingleQuotes = true;
                        break;
                    default:
                        Emit(output, write, ref length, c);
                        break;
                }
            }
            p++;
        }
    }

    /// <summary>A closing quote must be followed by a blank or the end of the line.</summary>
    private static bool ClosesToken(ReadOnlySpan<byte> line, int quote, ref int position)
    {
        var next = At(line, quote + 1);
        if (next != 0 && !IsSpace(next))
        {
            return false;
        }
        position = quote + 1;
        return true;
    }

    private static void Emit(Span<byte> output, bool write, ref int length, byte value)
    {
        if (write)
        {
            output[length] = value;
        }
        length++;
    }

    /// <summary>The byte at <paramref name="index"/>, or 0 past the end, as a C string reads.</summary>
    private static byte At(ReadOnlySpan<byte> line, int index) => (uint)index < (uint)line.Length ? line[index] : (byte)0;

    private static byte Unescape(byte c) => c switch
    {
        (byte)'n' => (byte)'\n',
        (byte)'r' => (byte)'\r',
        (byte)'t' => (byte)'\t',
        (byte)'b' => (byte)'\b',
        (byte)'a' => (byte)'\a',
        _ => c,
    };

    /// <summary>C's isspace in the "C" locale.</summary>
    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static bool IsHexDigit(byte c) => char.IsAsciiHexDigit((char)c);

    private static int HexValue(byte c) => c <= (byte)'9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
