using System.Buffers;
using System.Text;
using Dst.Protocol;

namespace Dst.Commands;

/// <summary>Error replies worded exactly as Redis words them, since clients parse some of them.</summary>
public static class CommandErrors
{
    public const string WrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public const string NotInteger = "ERR value is not an integer or out of range";
    public const string NotFloat = "ERR value is not a valid float";
    public const string Syntax = "ERR syntax error";
    public const string Overflow = "ERR increment or decrement would overflow";
    public const string NaNOrInfinity = "ERR increment would produce NaN or Infinity";
    public const string ValueNaNOrInfinity = "ERR value is NaN or Infinity";
    public const string StringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public const string NoSuchKey = "ERR no such key";
    public const string OffsetOutOfRange = "ERR offset is out of range";
    public const string InvalidCursor = "ERR invalid cursor";
    public const string SameObject = "ERR source and destination objects are the same";
    public const string DbIndexOutOfRange = "ERR DB index is out of range";
    public const string HashValueNotInteger = "ERR hash value is not an integer";
    public const string HashValueNotFloat = "ERR hash value is not a float";
    public const string OutOfRange = "ERR value is out of range";
    public const string MustBePositive = "ERR value is out of range, must be positive";

    /// <summary>Redis caps the echoed name and the echoed arguments at 128 bytes each.</summary>
    private const int EchoLimit = 128;

    public static string WrongArity(string commandName) => $"ERR wrong number of arguments for '{commandName}' command";

    public static string InvalidExpireTime(string commandName) => $"ERR invalid expire time in '{commandName}' command";

    public static void WriteWrongArity(RespWriter reply, CommandSpec spec) => reply.WriteError(WrongArity(spec.Name));

    /// <summary>
    /// <c>ERR unknown command 'foo', with args beginning with: 'a' 'b' </c>, built as Redis's
    /// <c>processCommand</c> builds it: the name cut at 128 bytes, then each argument quoted and
    /// followed by a space while the argument text stays under 128 bytes.
    /// </summary>
    public static void WriteUnknownCommand(RespWriter reply, CommandArgs args)
    {
        var name = args[0];
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("ERR unknown command '"u8);
        buffer.Write(name[..Math.Min(name.Length, EchoLimit)]);
        buffer.Write("', with args beginning with: "u8);
        var echoed = 0;
        for (var i = 1; i < args.Count && echoed < EchoLimit; i++)
        {
            var argument = args[i];
            var shown = argument[..Math.Min(argument.Length, EchoLimit - echoed)];
            buffer.Write("'"u8);
            buffer.Write(shown);
            buffer.Write("' "u8);
            echoed += shown.Length + 3;
        }
        reply.WriteError(buffer.WrittenSpan);
    }

    /// <summary><c>ERR unknown subcommand 'x'. Try COMMAND HELP.</c></summary>
    public static string UnknownSubcommand(ReadOnlySpan<byte> subcommand, string commandName)
    {
        var shown = Encoding.UTF8.GetString(subcommand[..Math.Min(subcommand.Length, EchoLimit)]);
        return $"ERR unknown subcommand '{shown}'. Try {commandName.ToUpperInvariant()} HELP.";
    }
}
