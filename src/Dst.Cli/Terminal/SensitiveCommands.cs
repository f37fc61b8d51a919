using System.Text;

namespace Dst.Cli.Terminal;

/// <summary>Commands carrying a password, which are run but never written to the history file (as redis-cli).</summary>
public static class SensitiveCommands
{
    public static bool Contains(IReadOnlyList<byte[]> arguments)
    {
        if (arguments.Count == 0)
        {
            return false;
        }
        var name = arguments[0];
        return Ascii.EqualsIgnoreCase(name, "auth"u8)
            || (Ascii.EqualsIgnoreCase(name, "hello"u8) && arguments.Any(a => Ascii.EqualsIgnoreCase(a, "auth"u8)))
            || (Ascii.EqualsIgnoreCase(name, "acl"u8) && arguments.Count > 1 && Ascii.EqualsIgnoreCase(arguments[1], "setuser"u8))
            || (Ascii.EqualsIgnoreCase(name, "config"u8) && arguments.Count > 2 && Ascii.EqualsIgnoreCase(arguments[1], "set"u8)
                && arguments.Skip(2).Any(a => Ascii.EqualsIgnoreCase(a, "requirepass"u8) || Ascii.EqualsIgnoreCase(a, "masterauth"u8)));
    }
}
