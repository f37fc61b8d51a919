namespace Dst.Commands;

/// <summary>Limits the state machine enforces. Every replica must run with the same values.</summary>
public sealed record StateMachineOptions
{
    /// <summary>Redis's 512 MB default for <c>proto-max-bulk-len</c>: the largest string APPEND/SETRANGE may build.</summary>
    public const long DefaultProtoMaxBulkLen = 512L * 1024 * 1024;

    public long ProtoMaxBulkLen { get; init; } = DefaultProtoMaxBulkLen;

    public static StateMachineOptions Default { get; } = new();
}
