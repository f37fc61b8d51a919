using System.Text;

namespace Dst.Protocol.Tests;

public class CommandArgsTests
{
    [Fact]
    public void Arguments_are_stored_each_behind_its_varint_length()
    {
        using var args = new CommandArgs(initialBytes: 16, initialArgs: 1);
        var longValue = new string('v', 200); // 200 takes two varint bytes
        foreach (var argument in new[] { "SET", "", longValue })
        {
            args.Add(Encoding.ASCII.GetBytes(argument));
        }

        byte[] expected = [3, .. "SET"u8, 0, 0xC8, 0x01, .. Encoding.ASCII.GetBytes(longValue)];
        Assert.Equal(expected, args.EncodedArguments.ToArray());
        Assert.Equal(expected.Length, args.ByteCount);
        Assert.Equal("SET", args.GetString(0));
        Assert.Equal(0, args[1].Length);
        Assert.Equal(longValue, args.GetString(2));
    }

    [Fact]
    public void Encoded_arguments_load_back_in_one_copy_and_report_what_they_took()
    {
        using var source = new CommandArgs();
        source.Add("HSET"u8);
        source.Add("h"u8);
        source.Add(new byte[300]);
        byte[] encoded = [.. source.EncodedArguments, 0xAA, 0xBB]; // what follows the arguments is not theirs

        using var loaded = new CommandArgs(initialBytes: 8, initialArgs: 1);
        loaded.Add("stale"u8);
        Assert.Equal(source.ByteCount, CommandArgs.MeasureEncoded(encoded, 3));
        Assert.Equal(source.ByteCount, loaded.TryLoadEncoded(encoded, 3));
        Assert.Equal(3, loaded.Count);
        Assert.Equal("HSET", loaded.GetString(0));
        Assert.Equal("h", loaded.GetString(1));
        Assert.Equal(new byte[300], loaded[2].ToArray());
        Assert.Equal(source.EncodedArguments.ToArray(), loaded.EncodedArguments.ToArray());
    }

    [Fact]
    public void Truncated_or_malformed_encodings_load_nothing_and_measure_zero()
    {
        using var source = new CommandArgs();
        source.Add("SET"u8);
        source.Add("key"u8);
        var encoded = source.EncodedArguments.ToArray();
        using var args = new CommandArgs();
        for (var length = 0; length < encoded.Length; length++)
        {
            Assert.Equal(0, CommandArgs.MeasureEncoded(encoded.AsSpan(0, length), 2));
            Assert.Equal(0, args.TryLoadEncoded(encoded.AsSpan(0, length), 2));
            Assert.Equal(0, args.Count);
        }
        byte[][] malformed =
        [
            encoded, // read as three arguments: one more than there is
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], // over-long varint
            [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2], // a length far past the end
        ];
        foreach (var bytes in malformed)
        {
            var count = bytes == encoded ? 3 : 1;
            Assert.Equal(0, CommandArgs.MeasureEncoded(bytes, count));
            Assert.Equal(0, args.TryLoadEncoded(bytes, count));
        }
        Assert.Equal(0, args.Count);
    }
}
