using System.Text;

namespace Dst.Server.Tests.Compatibility;

/// <summary>One command: its arguments as bytes, shown as redis-cli would take it.</summary>
internal sealed class Command(byte[][] args)
{
    public byte[][] Args { get; } = args;

    public string Name { get; } = Encoding.UTF8.GetString(args[0]).ToUpperInvariant();

    /// <summary>The arguments after the name, as text (invalid UTF-8 decoded lossily), for matching.</summary>
    public IReadOnlyList<string> Text => [.. Args.Skip(1).Select(arg => Encoding.UTF8.GetString(arg))];

    public static Command Of(params object[] parts)
    {
        var args = new List<byte[]>();
        Flatten(parts, args);
        return new Command([.. args]);
    }

    public static string Quote(byte[] bytes)
    {
        var text = new StringBuilder("\"");
        foreach (var b in bytes)
        {
            text.Append(b switch
            {
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }
        return text.Append('"').ToString();
    }

    /// <summary>The command as one redis-cli line: plain words bare, anything else quoted with escapes.</summary>
    public override string ToString() =>
        string.Join(' ', Args.Select(arg => arg.Length > 0 && arg.All(b => b is > 0x20 and < 0x7f and not (byte)'"' and not (byte)'\'' and not (byte)'\\')
            ? Encoding.ASCII.GetString(arg)
            : Quote(arg)));

    private static void Flatten(IEnumerable<object> parts, List<byte[]> args)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case string text:
                    args.Add(Encoding.UTF8.GetBytes(text));
                    break;
                case byte[] bytes:
                    args.Add(bytes);
                    break;
                case IEnumerable<object> nested:
                    Flatten(nested, args);
                    break;
                default:
                    throw new ArgumentException($"cannot send {part}");
            }
        }
    }
}
