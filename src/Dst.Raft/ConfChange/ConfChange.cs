using System.Buffers.Binary;

namespace Dst.Raft.ConfChange;

public enum ConfChangeType : byte
{
    AddNode = 0,
    RemoveNode = 1,
    AddLearnerNode = 2,
}

/// <summary>How a change with several steps moves through joint consensus.</summary>
public enum ConfChangeTransition : byte
{
    /// <summary>A single voter change is applied directly; anything else uses joint consensus and leaves it automatically.</summary>
    Auto = 0,
    /// <summary>Joint consensus, left automatically by the leader once the joint config is committed.</summary>
    JointImplicit = 1,
    /// <summary>Joint consensus, left only when the application proposes an empty change.</summary>
    JointExplicit = 2,
}

public readonly record struct ConfChangeSingle(ConfChangeType Type, ulong NodeId);

/// <summary>
/// A membership change. An empty <see cref="Changes"/> list is the request to leave a joint config.
/// Encoded into a <see cref="EntryType.ConfChange"/> entry's data with <see cref="Encode"/>.
/// <see cref="Context"/> is opaque to the core and travels with the entry (the host puts the new
/// member's network address there, so every replica learns it at the same log position).
/// </summary>
public sealed record ConfChangeRequest(ConfChangeTransition Transition, IReadOnlyList<ConfChangeSingle> Changes)
{
    public ReadOnlyMemory<byte> Context { get; init; }

    public static ConfChangeRequest LeaveJoint { get; } = new(ConfChangeTransition.Auto, []);

    public static ConfChangeRequest Single(ConfChangeType type, ulong nodeId) => new(ConfChangeTransition.Auto, [new(type, nodeId)]);

    public bool IsLeaveJoint => Changes.Count == 0;

    /// <summary>Whether this change enters a joint config, and if so whether it leaves it automatically.</summary>
    public (bool UsesJoint, bool AutoLeave) EntersJoint()
    {
        if (Transition != ConfChangeTransition.Auto || Changes.Count > 1)
        {
            return (true, Transition != ConfChangeTransition.JointExplicit);
        }
        return (false, false);
    }

    public byte[] Encode()
    {
        var buffer = new byte[2 + Changes.Count * 9 + Context.Length];
        buffer[0] = (byte)Transition;
        buffer[1] = checked((byte)Changes.Count);
        for (var i = 0; i < Changes.Count; i++)
        {
            buffer[2 + i * 9] = (byte)Changes[i].Type;
            BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(3 + i * 9), Changes[i].NodeId);
        }
        Context.Span.CopyTo(buffer.AsSpan(2 + Changes.Count * 9));
        return buffer;
    }

    public static ConfChangeRequest Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || data.Length < 2 + data[1] * 9 || data[0] > 2)
        {
            throw new FormatException($"malformed conf change entry ({data.Length} bytes)");
        }
        var changes = new ConfChangeSingle[data[1]];
        for (var i = 0; i < changes.Length; i++)
        {
            var type = data[2 + i * 9];
            if (type > 2)
            {
                throw new FormatException($"unknown conf change type {type}");
            }
            changes[i] = new((ConfChangeType)type, BinaryPrimitives.ReadUInt64LittleEndian(data[(3 + i * 9)..]));
        }
        var context = data[(2 + changes.Length * 9)..];
        return new ConfChangeRequest((ConfChangeTransition)data[0], changes) { Context = context.IsEmpty ? default : context.ToArray() };
    }

    public override string ToString() => IsLeaveJoint
        ? "leave-joint"
        : $"{Transition} {string.Join(" ", Changes.Select(c => $"{c.Type}({c.NodeId})"))}";
}

/// <summary>A membership change that cannot be applied to the current configuration.</summary>
public sealed class ConfChangeException(string message) : Exception(message);
