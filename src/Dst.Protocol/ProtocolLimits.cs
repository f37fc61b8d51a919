namespace Dst.Protocol;

/// <summary>
/// Size limits applied to requests before anything is allocated for them. The defaults are
/// Redis's: <c>proto-max-bulk-len</c>, <c>client-query-buffer-limit</c>, the inline request cap, and
/// the much smaller caps Redis applies to connections that have not authenticated yet, so an
/// anonymous client cannot make the server buffer large requests.
/// </summary>
public sealed class ProtocolLimits
{
    public const long Kibibyte = 1024;
    public const long Mebibyte = 1024 * Kibibyte;
    public const long Gibibyte = 1024 * Mebibyte;

    /// <summary>The default limits, shared; never mutate it (create an instance to change a limit).</summary>
    public static ProtocolLimits Default { get; } = new();

    /// <summary>Largest bulk string argument (<c>proto-max-bulk-len</c>).</summary>
    public long MaxBulkLength { get; init; } = 512 * Mebibyte;

    /// <summary>Most bytes one pending request may occupy (<c>client-query-buffer-limit</c>).</summary>
    public long MaxQueryBufferLength { get; init; } = Gibibyte;

    /// <summary>Longest inline request line, and longest line Redis waits for without a newline.</summary>
    public int MaxInlineLength { get; init; } = (int)(64 * Kibibyte);

    /// <summary>Most arguments one multibulk request may announce.</summary>
    public int MaxMultibulkLength { get; init; } = 1024 * 1024;

    /// <summary>Largest bulk argument before AUTH (Redis: 16384).</summary>
    public long UnauthenticatedMaxBulkLength { get; init; } = 16 * Kibibyte;

    /// <summary>Most arguments in one request before AUTH (Redis: 10).</summary>
    public int UnauthenticatedMaxMultibulkLength { get; init; } = 10;

    /// <summary>Most bytes one pending request may occupy before AUTH.</summary>
    public long UnauthenticatedMaxQueryBufferLength { get; init; } = Mebibyte;

    public long BulkLengthLimit(bool authenticated) => authenticated ? MaxBulkLength : Math.Min(MaxBulkLength, UnauthenticatedMaxBulkLength);

    public long QueryBufferLimit(bool authenticated) => authenticated ? MaxQueryBufferLength : Math.Min(MaxQueryBufferLength, UnauthenticatedMaxQueryBufferLength);
}
