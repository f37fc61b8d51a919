namespace Dst.Protocol;

/// <summary>
/// Redis's exact wording for protocol errors, as the reply text without the leading "-".
/// Clients and tests compare these strings, so keep them verbatim.
/// </summary>
public static class ProtocolErrors
{
    public const string TooBigInlineRequest = "ERR Protocol error: too big inline request";
    public const string UnbalancedQuotes = "ERR Protocol error: unbalanced quotes in request";
    public const string InvalidMultibulkLength = "ERR Protocol error: invalid multibulk length";
    public const string InvalidBulkLength = "ERR Protocol error: invalid bulk length";
    public const string UnauthenticatedMultibulkLength = "ERR Protocol error: unauthenticated multibulk length";
    public const string UnauthenticatedBulkLength = "ERR Protocol error: unauthenticated bulk length";

    /// <summary>
    /// Bulk data not followed by CRLF. Redis skips the two bytes unchecked and silently desynchronises;
    /// we refuse the frame instead.
    /// </summary>
    public const string MissingBulkTerminator = "ERR Protocol error: expected '\\r\\n' after bulk data";

    /// <summary>
    /// A single request larger than the query buffer limit. Redis closes such a client without a
    /// reply; we give the connection a message it may send before closing.
    /// </summary>
    public const string QueryBufferLimitExceeded = "ERR Protocol error: request exceeds the client query buffer limit";

    public static string ExpectedDollar(byte got) => $"ERR Protocol error: expected '$', got '{(char)got}'";
}
