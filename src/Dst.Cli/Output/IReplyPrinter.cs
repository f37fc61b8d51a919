using System.Buffers;
using Dst.Protocol;

namespace Dst.Cli.Output;

/// <summary>Turns one reply into the bytes printed for it, ending with a newline.</summary>
public interface IReplyPrinter
{
    void Print(RespValue reply, IBufferWriter<byte> output);
}
