namespace Dst.Cluster.Transport;

/// <summary>Decodes the body of a Batch frame (after the kind byte) into group messages.</summary>
internal static class BatchFrameReader
{
    /// <summary>
    /// Decodes every message of the batch into <paramref name="messages"/>. Either the whole batch
    /// decodes or <see cref="FrameFormatException"/> is thrown; callers deliver only after success.
    /// </summary>
    public static void Decode(ReadOnlyMemory<byte> body, CodecLimits limits, List<GroupMessage> messages)
    {
        var reader = new WireReader(body);
        while (reader.Remaining > 0)
        {
            var groupId = reader.ReadVarint("Batch.GroupId");
            var encoded = reader.ReadLengthPrefixed("Batch.Message", int.MaxValue);
            messages.Add(new GroupMessage(groupId, RaftMessageCodec.Decode(encoded, limits)));
        }
    }
}
