using System.Buffers;

namespace Dst.Protocol.Tests.Support;

/// <summary>Builds multi-segment sequences, the shape a pipe hands a parser when data arrives in pieces.</summary>
internal static class Segments
{
    /// <summary>The bytes cut at the given ascending offsets (empty pieces are kept: pipes produce them too).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, params int[] cuts)
    {
        var pieces = new List<byte[]>();
        var previous = 0;
        foreach (var cut in cuts)
        {
            pieces.Add(bytes[previous..cut].ToArray());
            previous = cut;
        }
        pieces.Add(bytes[previous..].ToArray());
        return FromPieces(pieces);
    }

    /// <summary>One segment per byte.</summary>
    public static ReadOnlySequence<byte> ByteByByte(ReadOnlySpan<byte> bytes)
    {
        var pieces = new List<byte[]>(bytes.Length);
        foreach (var b in bytes)
        {
            pieces.Add([b]);
        }
        return FromPieces(pieces);
    }

    /// <summary>The bytes cut at random places into up to <paramref name="maxPieces"/> pieces.</summary>
    public static ReadOnlySequence<byte> RandomSplit(ReadOnlySpan<byte> bytes, Random random, int maxPieces)
    {
        var length = bytes.Length;
        var cuts = Enumerable.Range(0, random.Next(maxPieces))
            .Select(_ => random.Next(length + 1))
            .Order()
            .ToArray();
        return Split(bytes, cuts);
    }

    public static ReadOnlySequence<byte> FromPieces(IReadOnlyList<byte[]> pieces)
    {
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var first = new Segment(pieces[0], 0);
        var last = first;
        for (var i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
