namespace Dst.Protocol;

/// <summary>Bounds on what a reply may announce, so a hostile or broken peer cannot exhaust memory or the stack.</summary>
public sealed class RespReaderLimits
{
    public static RespReaderLimits Default { get; } = new();

    /// <summary>Deepest nesting of aggregates (an attribute counts as a level).</summary>
    public int MaxDepth { get; init; } = 128;

    /// <summary>Largest bulk string, bulk error or verbatim string.</summary>
    public long MaxBulkLength { get; init; } = 512 * ProtocolLimits.Mebibyte;

    /// <summary>Most items one aggregate may announce (a map counts its pairs).</summary>
    public long MaxAggregateLength { get; init; } = int.MaxValue / 2;

    /// <summary>Longest simple string, simple error or header line.</summary>
    public int MaxLineLength { get; init; } = (int)(64 * ProtocolLimits.Kibibyte);
}
