using Dst.Raft;

namespace Dst.Cluster.Transport;

/// <summary>
/// Appends messages into Batch frames in a buffer: <c>kind | { groupId messageLength message }*</c>.
/// A frame is closed (header filled in) when the next message would push it past the frame limit,
/// so one drain of a send queue becomes as few frames as the limit allows, all in one buffer.
/// </summary>
internal sealed class BatchFrameWriter(PooledBufferWriter output, int maxPayload)
{
    private int _frameStart = -1;

    /// <summary>Appends one message; false if it could never fit in a frame (it is then skipped).</summary>
    public bool TryAppend(ulong groupId, in Message message)
    {
        var messageLength = RaftMessageCodec.GetEncodedLength(message);
        var recordLength = (long)WireWriter.VarintLength(groupId) + WireWriter.VarintLength((ulong)messageLength) + messageLength;
        if (1 + recordLength > maxPayload)
        {
            return false;
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
