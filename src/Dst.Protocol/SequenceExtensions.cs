using System.Buffers;

namespace Dst.Protocol;

internal static class SequenceExtensions
{
    /// <summary>The byte at <paramref name="index"/>, robust to empty segments at the slice point.</summary>
    public static byte ByteAt(this ReadOnlySequence<byte> sequence, long index)
    {
        Span<byte> one = stackalloc byte[1];
        sequence.Slice(index, 1).CopyTo(one);
        return one[0];
    }
}
