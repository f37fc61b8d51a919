using System.Buffers;
using System.Text;

namespace Dst.Protocol.Tests.Support;

/// <summary>What a parser made of a buffer: the requests, and how it stopped.</summary>
internal sealed record ParseOutcome(List<byte[][]> Requests, ParseStatus Final, string? Error, long Consumed)
{
    /// <summary>The requests as readable text, for assertions that compare whole results.</summary>
    public string Describe() =>
        string.Join(" | ", Requests.Select(r => string.Join(" ", r.Select(a => Convert.ToHexString(a))))) + $" => {Final} {Error} @{Consumed}";
}

internal static class ParsedRequests
{
    public static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Parses requests until the parser reports Incomplete or Error.</summary>
    public static ParseOutcome ParseAll(ReadOnlySequence<byte> buffer, bool authenticated = true, ProtocolLimits? limits = null)
    {
        var parser = new RequestParser(limits ?? ProtocolLimits.Default);
        using var args = new CommandArgs();
        var reader = new SequenceReader<byte>(buffer);
        var requests = new List<byte[][]>();
        while (true)
        {
            var before = reader.Consumed;
            var status = parser.TryParse(ref reader, args, authenticated, out var error);
            switch (status)
            {
                case ParseStatus.Complete:
                    Assert.True(args.Count > 0, "a complete request has at least one argument");
                    Assert.True(reader.Consumed > before, "a complete request moves the reader");
                    requests.Add(Enumerable.Range(0, args.Count).Select(args.ToArray).ToArray());
                    break;
                case ParseStatus.Incomplete:
                    Assert.Null(error);
                    Assert.Equal(before, reader.Consumed);
                    return new ParseOutcome(requests, status, null, reader.Consumed);
                default:
                    Assert.NotNull(error);
                    return new ParseOutcome(requests, status, error, reader.Consumed);
            }
        }
    }

    public static ParseOutcome ParseAll(string text, bool authenticated = true, ProtocolLimits? limits = null) =>
        ParseAll(new ReadOnlySequence<byte>(Ascii(text)), authenticated, limits);

    /// <summary>The requests as lists of Latin-1 strings.</summary>
    public static string[][] Texts(this ParseOutcome outcome) =>
        outcome.Requests.Select(r => r.Select(a => Encoding.Latin1.GetString(a)).ToArray()).ToArray();

    /// <summary>Serializes a request as a RESP multibulk, the way every client sends commands.</summary>
    public static byte[] Multibulk(params byte[][] args)
    {
        var stream = new MemoryStream();
        stream.Write(Ascii($"*{args.Length}\r\n"));
        foreach (var arg in args)
        {
            stream.Write(Ascii($"${arg.Length}\r\n"));
            stream.Write(arg);
            stream.Write("\r\n"u8);
        }
        return stream.ToArray();
    }

    public static byte[] Multibulk(params string[] args) => Multibulk(args.Select(Ascii).ToArray());
}
