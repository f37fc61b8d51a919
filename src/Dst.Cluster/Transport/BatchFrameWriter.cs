using Dst.Raft;

namespace Dst.Cluster.Transport;

/// <summary>
/// Appends messages into Batch frames in a buffer: <c>kind | { groupId messageLength message }*</c>.
/// A frame is closed (header filled in) when the next message would push it past the frame limit,
/// so one drain of a send queue becomes as few frames as the limit allows, all in one buffer. A
/// message larger than a frame (a snapshot) goes alone as the body of a one-message batch cut into
/// Fragment frames, which the receiver joins back (up to <paramref name="maxReassembled"/> bytes).
/// </summary>
internal sealed class BatchFrameWriter(PooledBufferWriter output, int maxPayload, long maxReassembled)
{
    /// <summary>Kind byte and the two varints of a Fragment frame, at most.</summary>
    private const int FragmentOverhead = 1 + (2 * 10);

    private int _frameStart = -1;

    /// <summary>Appends one message; false if it is larger than the receiver may join back (it is then skipped).</summary>
    public bool TryAppend(ulong groupId, in Message message)
    {
        var messageLength = RaftMessageCodec.GetEncodedLength(message);
        var recordLength = (long)WireWriter.VarintLength(groupId) + WireWriter.VarintLength((ulong)messageLength) + messageLength;
        if (1 + recordLength > maxPayload)
        {
            if (recordLength > maxReassembled)
            {
                return false;
            }
            Complete();
            AppendFragmented(groupId, message, messageLength, (int)recordLength);
            return true;
        }
        if (_frameStart >= 0 && CurrentPayloadLength + recordLength > maxPayload)
        {
            CloseFrame();
        }
        if (_frameStart < 0)
        {
            OpenFrame();
        }
        var span = output.GetSpan((int)recordLength);
        var writer = new WireWriter(span);
        writer.WriteVarint(groupId);
        writer.WriteVarint((ulong)messageLength);
        output.Advance(writer.Written);
        RaftMessageCodec.Encode(message, output);
        return true;
    }

    /// <summary>Closes the open frame, if any; the buffer then holds only whole frames.</summary>
    public void Complete()
    {
        if (_frameStart >= 0)
        {
            CloseFrame();
        }
    }

    private void AppendFragmented(ulong groupId, in Message message, int messageLength, int recordLength)
    {
        var record = new PooledBufferWriter(recordLength, retainedCapacity: 0);
        try
        {
            var head = new WireWriter(record.GetSpan(20));
            head.WriteVarint(groupId);
            head.WriteVarint((ulong)messageLength);
            record.Advance(head.Written);
            RaftMessageCodec.Encode(message, record);
            var body = record.WrittenSpan;
            var piece = maxPayload - FragmentOverhead;
            for (var offset = 0; offset < body.Length; offset += piece)
            {
                var chunk = body.Slice(offset, Math.Min(piece, body.Length - offset));
                var start = output.WrittenCount;
                var span = output.GetSpan(FrameHeader.Size + FragmentOverhead + chunk.Length);
                span[FrameHeader.Size] = (byte)FrameKind.Fragment;
                var writer = new WireWriter(span[(FrameHeader.Size + 1)..]);
                writer.WriteVarint((ulong)body.Length);
                writer.WriteVarint((ulong)offset);
                var used = FrameHeader.Size + 1 + writer.Written;
                chunk.CopyTo(span[used..]);
                output.Advance(used + chunk.Length);
                FrameHeader.Write(output.WrittenSpan[start..]);
            }
        }
        finally
        {
            record.Dispose();
        }
    }

    private int CurrentPayloadLength => output.WrittenCount - _frameStart - FrameHeader.Size;

    private void OpenFrame()
    {
        _frameStart = output.WrittenCount;
        var head = output.GetSpan(FrameHeader.Size + 1);
        head[FrameHeader.Size] = (byte)FrameKind.Batch;
        output.Advance(FrameHeader.Size + 1);
    }

    private void CloseFrame()
    {
        FrameHeader.Write(output.WrittenSpan[_frameStart..]);
        _frameStart = -1;
    }
}
