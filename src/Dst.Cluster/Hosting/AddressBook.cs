using System.Buffers.Binary;
using System.Text;

namespace Dst.Cluster.Hosting;

/// <summary>
/// The network address of every member of a group, replicated with the membership: an AddNode or
/// AddLearner entry carries the new member's address as its context, founding members come from the
/// configuration, and the book travels at the front of every snapshot so a restarted or newly joined
/// node knows where everyone is.
/// </summary>
public sealed class AddressBook
{
    private readonly Dictionary<ulong, NodeAddress> _addresses = [];

    public event Action<ulong, NodeAddress>? Added;

    public IReadOnlyDictionary<ulong, NodeAddress> All => _addresses;

    /// <summary>Moves on every change, so a reader can tell whether a copy it holds is still current.</summary>
    public long Version { get; private set; }

    public bool TryGet(ulong nodeId, out NodeAddress address) => _addresses.TryGetValue(nodeId, out address);

    public void Set(ulong nodeId, NodeAddress address)
    {
        if (_addresses.TryGetValue(nodeId, out var held) && held == address)
        {
            return;
        }
        _addresses[nodeId] = address;
        Version++;
        Added?.Invoke(nodeId, address);
    }

    public void Remove(ulong nodeId)
    {
        if (_addresses.Remove(nodeId))
        {
            Version++;
        }
    }

    /// <summary><c>[u32 count]([u64 id][u16 length][utf-8 host:port@cport])*</c>, little-endian, ids ascending.</summary>
    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        Span<byte> scratch = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)_addresses.Count);
        stream.Write(scratch[..4]);
        foreach (var (id, address) in _addresses.OrderBy(pair => pair.Key))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(scratch, id);
            stream.Write(scratch);
            var text = Encoding.UTF8.GetBytes(address.ToString());
            BinaryPrimitives.WriteUInt16LittleEndian(scratch, checked((ushort)text.Length));
            stream.Write(scratch[..2]);
            stream.Write(text);
        }
        return stream.ToArray();
    }

    /// <summary>Replaces the book with an encoded one; returns the bytes consumed.</summary>
    public int Load(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4)
        {
            throw new FormatException("address book is truncated");
        }
        var count = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        var at = 4;
        var loaded = new Dictionary<ulong, NodeAddress>();
        for (var i = 0u; i < count; i++)
        {
            if (bytes.Length - at < 10)
            {
                throw new FormatException("address book is truncated");
            }
            var id = BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..]);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + 8)..]);
            at += 10;
            if (bytes.Length - at < length)
            {
                throw new FormatException("address book is truncated");
            }
            loaded[id] = NodeAddress.Decode(bytes.Slice(at, length));
            at += length;
        }
        _addresses.Clear();
        Version++;
        foreach (var (id, address) in loaded)
        {
            Set(id, address);
        }
        return at;
    }
}
