using System.Buffers.Binary;
using Dst.Raft;

namespace Dst.Storage;

/// <summary>
/// The membership stored in a snapshot file's metadata: version byte, then voters, learners,
/// outgoing voters and next learners (each a u32 count and u64 ids, little-endian), then auto-leave.
/// </summary>
internal static class ConfStateCodec
{
    private const byte Version = 1;

    public static byte[] Encode(ConfState state)
    {
        var count = state.Voters.Count + state.Learners.Count + state.VotersOutgoing.Count + state.LearnersNext.Count;
        var bytes = new byte[1 + (4 * sizeof(uint)) + (count * sizeof(ulong)) + 1];
        bytes[0] = Version;
        var at = 1;
        foreach (var ids in new[] { state.Voters, state.Learners, state.VotersOutgoing, state.LearnersNext })
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), ids.Count);
            at += sizeof(uint);
            foreach (var id in ids)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), id);
                at += sizeof(ulong);
            }
        }
        bytes[at] = state.AutoLeave ? (byte)1 : (byte)0;
        return bytes;
    }

    public static ConfState Decode(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < 1 || bytes[0] != Version)
        {
            throw new StorageCorruptedException(path, "snapshot membership metadata has an unknown version");
        }
        var at = 1;
        var lists = new ulong[4][];
        for (var list = 0; list < lists.Length; list++)
        {
            var count = at + sizeof(uint) <= bytes.Length ? BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]) : -1;
            at += sizeof(uint);
            if (count < 0 || (long)count * sizeof(ulong) > bytes.Length - at)
            {
                throw new StorageCorruptedException(path, "snapshot membership metadata is truncated");
            }
            lists[list] = new ulong[count];
            for (var i = 0; i < count; i++)
            {
                lists[list][i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..]);
                at += sizeof(ulong);
            }
        }
        if (at != bytes.Length - 1)
        {
            throw new StorageCorruptedException(path, "snapshot membership metadata has the wrong length");
        }
        return new ConfState(lists[0], lists[1], lists[2], lists[3], bytes[at] != 0);
    }
}
