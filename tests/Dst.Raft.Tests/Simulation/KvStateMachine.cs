using System.Buffers.Binary;

namespace Dst.Raft.Tests.Simulation;

/// <summary>
/// The simulated application: registers keyed by a byte, written by commands that carry a unique
/// operation id. An id is applied at most once (a duplicated or retried proposal is a no-op), which is
/// the exactly-once session table a real state machine keeps.
/// </summary>
public sealed class KvStateMachine
{
    private readonly SortedDictionary<byte, ulong> _values = [];
    private readonly SortedSet<ulong> _appliedOps = [];

    public static byte[] EncodePut(ulong opId, byte key, ulong value)
    {
        var data = new byte[17];
        BinaryPrimitives.WriteUInt64LittleEndian(data, opId);
        data[8] = key;
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(9), value);
        return data;
    }

    public ulong Get(byte key) => _values.GetValueOrDefault(key);

    public bool HasApplied(ulong opId) => _appliedOps.Contains(opId);

    public void Apply(ReadOnlySpan<byte> command)
    {
        if (command.Length == 0)
        {
            return; // a leader's empty entry
        }
        if (command.Length != 17)
        {
            throw new FormatException($"bad command length {command.Length}");
        }
        var opId = BinaryPrimitives.ReadUInt64LittleEndian(command);
        if (_appliedOps.Add(opId))
        {
            _values[command[8]] = BinaryPrimitives.ReadUInt64LittleEndian(command[9..]);
        }
    }

    public byte[] Serialize()
    {
        var data = new byte[8 + _values.Count * 9 + 8 + _appliedOps.Count * 8];
        var span = data.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, _values.Count);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], _appliedOps.Count);
        var at = 8;
        foreach (var (key, value) in _values)
        {
            span[at] = key;
            BinaryPrimitives.WriteUInt64LittleEndian(span[(at + 1)..], value);
            at += 9;
        }
        foreach (var op in _appliedOps)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span[at..], op);
            at += 8;
        }
        return data;
    }

    public static KvStateMachine Deserialize(ReadOnlySpan<byte> data)
    {
        var machine = new KvStateMachine();
        if (data.IsEmpty)
        {
            return machine;
        }
        var values = BinaryPrimitives.ReadInt32LittleEndian(data);
        var ops = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        var at = 8;
        for (var i = 0; i < values; i++, at += 9)
        {
            machine._values[data[at]] = BinaryPrimitives.ReadUInt64LittleEndian(data[(at + 1)..]);
        }
        for (var i = 0; i < ops; i++, at += 8)
        {
            machine._appliedOps.Add(BinaryPrimitives.ReadUInt64LittleEndian(data[at..]));
        }
        return machine;
    }
}
