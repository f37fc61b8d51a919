namespace Dst.Cluster.Transport;

/// <summary>One frame as read: its kind and the payload after the kind byte (a fresh array, safe to alias).</summary>
internal readonly record struct Frame(FrameKind Kind, ReadOnlyMemory<byte> Body);
