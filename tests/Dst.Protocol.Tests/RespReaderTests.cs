using System.Buffers;
using Dst.Protocol.Tests.Support;
using static Dst.Protocol.Tests.Support.ParsedRequests;
using static Dst.Protocol.Tests.Support.ReadReplies;

namespace Dst.Protocol.Tests;

public class RespReaderTests
{
    private static RespValue ReadOne(string wire)
    {
        var (values, final, error, _) = ReadAll(new ReadOnlySequence<byte>(Ascii(wire)));
        Assert.Null(error);
        Assert.Equal(ParseStatus.Incomplete, final);
        return Assert.Single(values);
    }

    [Fact]
    public void Resp2_types_are_read()
    {
        Assert.Equal("OK", ReadOne("+OK\r\n").GetString());
        Assert.Equal(RespType.SimpleString, ReadOne("+OK\r\n").Type);
        var error = ReadOne("-WRONGTYPE Operation against a key\r\n");
        Assert.True(error.IsError);
        Assert.Equal("WRONGTYPE Operation against a key", error.GetString());
        Assert.Equal(-42, ReadOne(":-42\r\n").Integer);
        Assert.Equal(long.MinValue, ReadOne(":-9223372036854775808\r\n").Integer);
        Assert.Equal("a\r\nb", ReadOne("$4\r\na\r\nb\r\n").GetString());
        Assert.Equal("", ReadOne("$0\r\n\r\n").GetString());
        Assert.True(ReadOne("$-1\r\n").IsNull);
        Assert.True(ReadOne("*-1\r\n").IsNull);
        Assert.Empty(ReadOne("*0\r\n").Items);

        var array = ReadOne("*3\r\n:1\r\n$1\r\nx\r\n*1\r\n+y\r\n");
        Assert.Equal(RespType.Array, array.Type);
        Assert.Equal(1, array.Items[0].Integer);
        Assert.Equal("x", array.Items[1].GetString());
        Assert.Equal("y", array.Items[2].Items[0].GetString());
    }

    [Fact]
    public void Resp3_scalars_are_read()
    {
        Assert.True(ReadOne("_\r\n").IsNull);
        Assert.True(ReadOne("#t\r\n").Boolean);
        Assert.False(ReadOne("#f\r\n").Boolean);
        Assert.Equal(RespType.Boolean, ReadOne("#f\r\n").Type);
        Assert.Equal(1.5, ReadOne(",1.5\r\n").Double);
        Assert.Equal(-1e-10, ReadOne(",-1e-10\r\n").Double);
        Assert.Equal(double.PositiveInfinity, ReadOne(",inf\r\n").Double);
        Assert.Equal(double.NegativeInfinity, ReadOne(",-inf\r\n").Double);
        Assert.True(double.IsNaN(ReadOne(",nan\r\n").Double));
        var big = ReadOne("(3492890328409238509324850943850943825024385\r\n");
        Assert.Equal(RespType.BigNumber, big.Type);
        Assert.Equal("3492890328409238509324850943850943825024385", big.GetString());
        var bulkError = ReadOne("!21\r\nSYNTAX invalid syntax\r\n");
        Assert.Equal(RespType.BulkError, bulkError.Type);
        Assert.True(bulkError.IsError);
        Assert.Equal("SYNTAX invalid syntax", bulkError.GetString());
        var verbatim = ReadOne("=15\r\ntxt:Some string\r\n");
        Assert.Equal(RespType.VerbatimString, verbatim.Type);
        Assert.Equal("txt", verbatim.Format);
        Assert.Equal("Some string", verbatim.GetString());
    }

    [Fact]
    public void Resp3_aggregates_are_read()
    {
        var map = ReadOne("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n");
        Assert.Equal(RespType.Map, map.Type);
        Assert.Equal(2, map.PairCount);
        Assert.Equal(["first:1", "second:2"], map.Pairs().Select(p => $"{p.Key.GetString()}:{p.Value.Integer}"));

        var set = ReadOne("~3\r\n+a\r\n+b\r\n+c\r\n");
        Assert.Equal(RespType.Set, set.Type);
        Assert.Equal(["a", "b", "c"], set.Items.Select(i => i.GetString()));

        var push = ReadOne(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n");
        Assert.Equal(RespType.Push, push.Type);
        Assert.Equal("hello", push.Items[2].GetString());

        Assert.Equal(0, ReadOne("%0\r\n").PairCount);
    }

    [Fact]
    public void Attributes_attach_to_the_value_that_follows()
    {
        var value = ReadOne("|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n");

        Assert.Equal(RespType.Array, value.Type);
        Assert.Equal(2039123, value.Items[0].Integer);
        var attributes = Assert.IsType<RespValue>(value.Attributes);
        Assert.Equal("key-popularity", attributes.Items[0].GetString());
        Assert.Equal(0.1923, attributes.Items[1].Items[1].Double);
    }

    [Fact]
    public void Attribute_inside_an_aggregate_does_not_count_as_an_item()
    {
        var value = ReadOne("*2\r\n|1\r\n+ttl\r\n:3600\r\n$1\r\na\r\n:7\r\n");

        Assert.Equal(2, value.Items.Count);
        Assert.Equal("a", value.Items[0].GetString());
        Assert.Equal(3600, value.Items[0].Attributes!.Items[1].Integer);
        Assert.Equal(7, value.Items[1].Integer);
    }

    public static TheoryData<string> Streams => new()
    {
        "+OK\r\n-ERR no\r\n:12\r\n$3\r\nabc\r\n$-1\r\n*-1\r\n_\r\n",
        "*3\r\n:1\r\n*2\r\n$1\r\na\r\n%1\r\n+k\r\n~1\r\n#t\r\n$0\r\n\r\n",
        "|1\r\n+a\r\n+b\r\n>2\r\n+x\r\n,2.5\r\n(123\r\n!3\r\nERR\r\n=7\r\ntxt:a\r\n\r\n",
        "*2\r\n|1\r\n+a\r\n:1\r\n%0\r\n*0\r\n",
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void Replies_split_at_every_offset_read_like_one(string wire)
    {
        var bytes = Ascii(wire);
        var whole = ReadAll(new ReadOnlySequence<byte>(bytes));
        var expected = Canonical(whole.Values);
        Assert.Equal(ParseStatus.Incomplete, whole.Final);

        for (var first = 0; first <= bytes.Length; first++)
        {
            Assert.Equal(expected, Canonical(ReadAll(Segments.Split(bytes, first)).Values));
            for (var second = first; second <= bytes.Length; second += 3)
            {
                Assert.Equal(expected, Canonical(ReadAll(Segments.Split(bytes, first, second)).Values));
            }
        }
        Assert.Equal(expected, Canonical(ReadAll(Segments.ByteByByte(bytes)).Values));
    }

    /// <summary>
    /// One reader fed a growing prefix, as a client receives a reply in pieces: the scan resumes
    /// where it stopped and the result is the same as reading the whole buffer.
    /// </summary>
    [Theory]
    [MemberData(nameof(Streams))]
    public void Growing_buffer_fed_to_one_reader_resumes_correctly(string wire)
    {
        var bytes = Ascii(wire);
        var expected = Canonical(ReadAll(new ReadOnlySequence<byte>(bytes)).Values);
        var reader = new RespReader();
        var values = new List<RespValue>();
        var consumed = 0;
        for (var available = 0; available <= bytes.Length; available++)
        {
            var (read, final, error, readBytes) = ReadAll(Segments.ByteByByte(bytes.AsSpan(consumed, available - consumed)), reader);
            Assert.Null(error);
            Assert.Equal(ParseStatus.Incomplete, final);
            values.AddRange(read);
            consumed += (int)readBytes;
        }

        Assert.Equal(expected, Canonical(values));
        Assert.Equal(bytes.Length, consumed);
    }

    [Theory]
    [InlineData("?x\r\n")]
    [InlineData(":abc\r\n")]
    [InlineData(":01\r\n")]
    [InlineData("$-2\r\n")]
    [InlineData("*-2\r\n")]
    [InlineData("%-1\r\n")]
    [InlineData("$3\r\nabcde\r\n")]
    [InlineData("+OK\n")]
    [InlineData("#x\r\n")]
    [InlineData(",1.2.3\r\n")]
    [InlineData("(12a\r\n")]
    [InlineData("_x\r\n")]
    [InlineData("=3\r\ntxt\r\n")]
    [InlineData("=5\r\ntxt-a\r\n")]
    public void Malformed_replies_are_errors(string wire)
    {
        var (_, final, error, _) = ReadAll(new ReadOnlySequence<byte>(Ascii(wire)));

        Assert.Equal(ParseStatus.Error, final);
        Assert.StartsWith("ERR Protocol error: ", error);
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_an_error()
    {
        var limits = new RespReaderLimits { MaxDepth = 3 };

        var (ok, _, _, _) = ReadAll(new ReadOnlySequence<byte>(Ascii("*1\r\n*1\r\n*1\r\n:1\r\n")), new RespReader(limits));
        var (_, final, error, _) = ReadAll(new ReadOnlySequence<byte>(Ascii("*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n")), new RespReader(limits));

        Assert.Single(ok);
        Assert.Equal(ParseStatus.Error, final);
        Assert.Equal("ERR Protocol error: reply nested too deeply", error);
    }

    [Fact]
    public void Huge_announced_bulk_allocates_nothing_until_it_arrives()
    {
        var buffer = new ReadOnlySequence<byte>(Ascii("*2\r\n$536870912\r\n0123456789"));
        var reader = new RespReader();
        var sequence = new SequenceReader<byte>(buffer);
        reader.TryRead(ref sequence, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = reader.TryRead(ref sequence, out _, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ParseStatus.Incomplete, status);
        Assert.True(allocated < 1024, $"allocated {allocated} bytes");
        Assert.Equal(ParseStatus.Error, ReadAll(new ReadOnlySequence<byte>(Ascii("$536870913\r\n"))).Final);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Random_reply_trees_round_trip_through_random_splits(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 300; round++)
        {
            var values = Enumerable.Range(0, random.Next(1, 5)).Select(_ => RandomValue(random, depth: 0)).ToList();
            var wire = values.SelectMany(RespValueEncoder.ToArray).ToArray();

            var (read, final, error, _) = ReadAll(Segments.RandomSplit(wire, random, maxPieces: 6));

            Assert.True(error is null, $"seed {seed}, round {round}: {error}");
            Assert.True(final == ParseStatus.Incomplete, $"seed {seed}, round {round}");
            Assert.True(Canonical(values) == Canonical(read), $"seed {seed}, round {round}");
        }
    }

    private static RespValue RandomValue(Random random, int depth)
    {
        var kind = random.Next(depth > 3 ? 10 : 15);
        var value = kind switch
        {
            0 => RespValue.SimpleString(RandomText(random)),
            1 => RespValue.SimpleError("ERR " + RandomText(random)),
            2 => RespValue.FromInteger(random.NextInt64(long.MinValue, long.MaxValue)),
            3 => RespValue.BulkString(RandomBytes(random)),
            4 => RespValue.Null,
            5 => RespValue.FromBoolean(random.Next(2) == 0),
            6 => RespValue.FromDouble(random.Next(4) == 0 ? double.PositiveInfinity : random.NextDouble() * 1e6),
            7 => RespValue.BigNumber("-" + random.NextInt64(1, long.MaxValue) + "123456789"),
            8 => RespValue.BulkError("ERR " + RandomText(random)),
            9 => RespValue.Verbatim("txt", RandomText(random)),
            10 => RespValue.Array(Children(random, depth, 1)),
            11 => RespValue.Set(Children(random, depth, 1)),
            12 => RespValue.Map(Children(random, depth, 2)),
            13 => RespValue.Push(Children(random, depth, 1)),
            _ => RespValue.Array(Children(random, depth, 1)).WithAttributes(RespValue.Map(Children(random, depth, 2))),
        };
        return value;
    }

    private static RespValue[] Children(Random random, int depth, int multiple) =>
        Enumerable.Range(0, random.Next(4) * multiple).Select(_ => RandomValue(random, depth + 1)).ToArray();

    private static string RandomText(Random random) =>
        new(Enumerable.Range(0, random.Next(12)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(3) == 0 ? random.Next(2000) : random.Next(20)];
        random.NextBytes(bytes);
        return bytes;
    }
}
