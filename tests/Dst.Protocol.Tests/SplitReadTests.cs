using System.Buffers;
using Dst.Protocol.Tests.Support;
using static Dst.Protocol.Tests.Support.ParsedRequests;

namespace Dst.Protocol.Tests;

/// <summary>
/// Data arrives in arbitrary pieces. Whatever the cut, the parser must produce exactly what it
/// produces from one contiguous buffer, and every prefix must be Incomplete without consuming.
/// </summary>
public class SplitReadTests
{
    public static TheoryData<string> Streams => new()
    {
        "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n",
        "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n",
        "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
        "*2\r\n$4\r\nECHO\r\n$6\r\n\r\n\r\n*$\r\n",
        "PING\r\nSET k \"a b\\x41\" 'c d'\nGET k\r\n",
        "\r\n\n*0\r\n*-1\r\nPING\r\n",
        "*1\r\n$4\r\nPING\r\nECHO \"unbalanced\r\n",
        "*1\r\n$x\r\n",
        "*1\r\n$4\r\nPINGXY",
        "*2\r\n$3\r\nGET\r\n:1\r\n",
        "*12345678901234567890123456789\r\n",
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void Two_segments_cut_at_every_offset_parse_like_one(string text)
    {
        var bytes = Ascii(text);
        var expected = ParseAll(new ReadOnlySequence<byte>(bytes)).Describe();

        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            Assert.Equal(expected, ParseAll(Segments.Split(bytes, cut)).Describe());
        }
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void Three_segments_cut_at_every_pair_of_offsets_parse_like_one(string text)
    {
        var bytes = Ascii(text);
        var expected = ParseAll(new ReadOnlySequence<byte>(bytes)).Describe();

        for (var first = 0; first <= bytes.Length; first++)
        {
            for (var second = first; second <= bytes.Length; second++)
            {
                Assert.Equal(expected, ParseAll(Segments.Split(bytes, first, second)).Describe());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void One_byte_segments_parse_like_one(string text)
    {
        var bytes = Ascii(text);

        Assert.Equal(ParseAll(new ReadOnlySequence<byte>(bytes)).Describe(), ParseAll(Segments.ByteByByte(bytes)).Describe());
    }

    /// <summary>
    /// Feeds a growing prefix, as a connection sees bytes arrive one at a time: Incomplete never
    /// moves the reader, and the requests come out exactly as from the whole buffer.
    /// </summary>
    [Theory]
    [MemberData(nameof(Streams))]
    public void Byte_at_a_time_feeding_never_advances_on_incomplete(string text)
    {
        var bytes = Ascii(text);
        var expected = ParseAll(new ReadOnlySequence<byte>(bytes));
        var parser = new RequestParser(ProtocolLimits.Default);
        using var args = new CommandArgs();
        var requests = new List<byte[][]>();
        var consumed = 0L;
        string? error = null;
        for (var available = 0; available <= bytes.Length && error is null; available++)
        {
            var reader = new SequenceReader<byte>(Segments.ByteByByte(bytes.AsSpan((int)consumed, available - (int)consumed)));
            while (true)
            {
                var status = parser.TryParse(ref reader, args, authenticated: true, out error);
                if (status == ParseStatus.Incomplete)
                {
                    Assert.Equal(0, reader.Consumed);
                    break;
                }
                if (status == ParseStatus.Error)
                {
                    break;
                }
                requests.Add(Enumerable.Range(0, args.Count).Select(args.ToArray).ToArray());
                consumed += reader.Consumed;
                reader = new SequenceReader<byte>(reader.UnreadSequence);
            }
        }

        Assert.Equal(expected.Describe(), new ParseOutcome(requests, expected.Final, error, expected.Consumed).Describe());
        Assert.Equal(expected.Error, error);
    }
}
