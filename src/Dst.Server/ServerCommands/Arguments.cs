using System.Buffers.Text;
using System.Text;

namespace Dst.Server.ServerCommands;

/// <summary>Small parsing helpers for server command arguments.</summary>
public static class Arguments
{
    /// <summary>A whole decimal integer, as Redis's string2ll accepts it (no spaces, no plus sign).</summary>
    public static bool TryParseLong(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        return text.Length > 0 && text[0] != (byte)'+'
            && Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length;
    }

    public static bool Is(ReadOnlySpan<byte> argument, string ascii) => Ascii.EqualsIgnoreCase(argument, ascii);

    /// <summary>
    /// Redis allows client names and library names of printable ASCII without spaces
    /// ("Client names cannot contain spaces, newlines or special characters.").
    /// </summary>
    public static bool IsValidClientName(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b < (byte)'!' || b > (byte)'~')
            {
                return false;
            }
        }
        return true;
    }
}
