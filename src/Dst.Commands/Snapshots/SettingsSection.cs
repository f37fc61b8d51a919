using System.Buffers;
using System.Text;
using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.Snapshots;

/// <summary>
/// The replicated settings (encoding thresholds) in a snapshot, an optional section before the
/// key-modification table:
/// <code>"DSTCONF" 0x01 | body length u32 | body: [pair count varint]([name varint+bytes][value varint+bytes])* | CRC32C u32 of all before it</code>
/// Pairs of name and decimal text, like a Configure entry, so a setting added later is one more pair.
/// </summary>
internal static class SettingsSection
{
    private const int MaxBodyLength = 64 * 1024;

    private static ReadOnlySpan<byte> Magic => "DSTCONF\u0001"u8;

    public static bool Starts(ReadOnlySpan<byte> firstBytes) => firstBytes.SequenceEqual(Magic);

    public static void Write(Stream destination, IReadOnlyList<(string Name, string Value)> settings)
    {
        var body = new ArrayBufferWriter<byte>();
        WriteVarint(body, (ulong)settings.Count);
        foreach (var (name, value) in settings)
        {
            WriteText(body, name);
            WriteText(body, value);
        }
        destination.Write(SnapshotSection.Frame(Magic, body.WrittenSpan));
    }

    /// <summary>Reads the section whose magic was just read from <paramref name="source"/>.</summary>
    public static List<(string Name, string Value)> Read(Stream source)
    {
        Span<byte> body = SnapshotSection.ReadBody(source, Magic, MaxBodyLength, "settings section");
        var count = ReadVarint(ref body);
        var settings = new List<(string Name, string Value)>();
        for (var i = 0UL; i < count; i++)
        {
            var name = ReadText(ref body);
            settings.Add((name, ReadText(ref body)));
        }
        return body.IsEmpty ? settings : throw new InvalidDataException($"snapshot settings section has {body.Length} trailing bytes");
    }

    private static void WriteVarint(ArrayBufferWriter<byte> output, ulong value) =>
        output.Advance(Varint.Write(output.GetSpan(Varint.MaxLength64), value));

    private static void WriteText(ArrayBufferWriter<byte> output, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteVarint(output, (ulong)bytes.Length);
        output.Write(bytes);
    }

    private static ulong ReadVarint(ref Span<byte> body)
    {
        var consumed = Varint.TryRead(body, out var value);
        if (consumed == 0)
        {
            throw new InvalidDataException("snapshot settings section is malformed");
        }
        body = body[consumed..];
        return value;
    }

    private static string ReadText(ref Span<byte> body)
    {
        var length = ReadVarint(ref body);
        if (length > (ulong)body.Length)
        {
            throw new InvalidDataException("snapshot settings section is malformed");
        }
        var text = Encoding.UTF8.GetString(body[..(int)length]);
        body = body[(int)length..];
        return text;
    }
}
