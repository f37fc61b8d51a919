using System.Buffers;
using System.Text;
using Dst.Commands;
using Dst.Protocol;

namespace Dst.Benchmarks.Commands;

/// <summary>Builds the requests the state-machine benchmarks run: parsed arguments for reads, encoded entries for writes.</summary>
internal static class BenchRequests
{
    /// <summary>The fixed "now" of every benchmark entry and read.</summary>
    public const long Now = 1_700_000_000_000;

    public static CommandArgs Args(params string[] words)
    {
        var args = new CommandArgs();
        foreach (var word in words)
        {
            args.Add(Encoding.UTF8.GetBytes(word));
        }
        return args;
    }

    /// <summary>A write command as the connection would log it, stamped with <see cref="Now"/>.</summary>
    public static byte[] Encode(params string[] words)
    {
        using var args = Args(words);
        var payload = new ArrayBufferWriter<byte>();
        StateMachine.EncodeCommand(args, Now, payload);
        return payload.WrittenSpan.ToArray();
    }
}
