using System.Text;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Robustness;

/// <summary>
/// Hostile request bytes drawn from a seeded random source: pure noise, valid frames cut short or
/// with bytes changed, absurd length headers, broken inline lines, RESP3 reply types sent as
/// requests. Valid frames only name harmless commands on keys under <c>g:</c>, and values are
/// digits, so no mutation can plausibly spell an administrative command.
/// </summary>
public sealed class GarbageFrames(Random random)
{
    private static readonly string[] HugeNumbers =
        ["2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "99999999999999999999", "536870912", "536870913", "1073741824", "-2", "-2147483648", "0x10", "1e9", " 5", "5 ", ""];

    public byte[] Next() => random.Next(8) switch
    {
        0 => Noise(),
        1 => Truncated(),
        2 => Mutated(),
        3 => HugeHeader(),
        4 => BrokenInline(),
        5 => ValidThenGarbage(),
        6 => ReplyTypesAsRequests(),
        _ => Mutated(),
    };

    private byte[] Noise()
    {
        var bytes = new byte[random.Next(1, 4096)];
        random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Truncated()
    {
        var frame = ValidFrame();
        return frame[..random.Next(1, frame.Length)];
    }

    private byte[] Mutated()
    {
        var frame = ValidFrame();
        for (var changes = random.Next(1, 6); changes > 0; changes--)
        {
            frame[random.Next(frame.Length)] = random.Next(3) switch
            {
                0 => (byte)random.Next(256),
                1 => (byte)"*$\r\n-:+0123456789"[random.Next(17)],
                _ => (byte)(frame[random.Next(frame.Length)] ^ (1 << random.Next(8))),
            };
        }
        return frame;
    }

    private byte[] HugeHeader()
    {
        var number = HugeNumbers[random.Next(HugeNumbers.Length)];
        var text = random.Next(4) switch
        {
            0 => $"*{number}\r\n",
            1 => $"*1\r\n${number}\r\n",
            2 => $"*2\r\n$3\r\nSET\r\n${number}\r\n{new string('7', random.Next(100))}",
            _ => $"*{number}\r\n$3\r\nGET\r\n",
        };
        return Encoding.ASCII.GetBytes(text);
    }

    private byte[] BrokenInline()
    {
        const string alphabet = "SETGETINCR g:1 \"'\\x41\\\t\r ";
        var length = random.Next(3) == 0 ? random.Next(60_000, 80_000) : random.Next(1, 200);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }
        if (random.Next(2) == 0)
        {
            text.Append('\n');
        }
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private byte[] ValidThenGarbage()
    {
        using var stream = new MemoryStream();
        for (var i = random.Next(1, 50); i > 0; i--)
        {
            stream.Write(ValidFrame());
        }
        stream.Write(Noise());
        return stream.ToArray();
    }

    private byte[] ReplyTypesAsRequests()
    {
        string[] frames = ["%1\r\n+a\r\n:1\r\n", "~2\r\n#t\r\n_\r\n", ">1\r\n,1.5\r\n", "=5\r\ntxt:a\r\n", "(123\r\n", "!3\r\nERR\r\n", "*1\r\n*1\r\n$4\r\nPING\r\n", "*2\r\n:1\r\n:2\r\n"];
        return Encoding.ASCII.GetBytes(frames[random.Next(frames.Length)]);
    }

    private byte[] ValidFrame()
    {
        var key = $"g:{random.Next(1000)}";
        var value = random.NextInt64(0, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] command = random.Next(10) switch
        {
            0 => ["SET", key, value],
            1 => ["GET", key],
            2 => ["INCR", "g:counter"],
            3 => ["APPEND", key, value],
            4 => ["MSET", key, value, $"g:{random.Next(1000)}", value],
            5 => ["DEL", key],
            6 => ["EXPIRE", key, "100"],
            7 => ["ECHO", value],
            8 => ["HELLO", random.Next(2) == 0 ? "3" : "2"],
            _ => ["PING"],
        };
        return RawConnection.Encode(command);
    }
}
