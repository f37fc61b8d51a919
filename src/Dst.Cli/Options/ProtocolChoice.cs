namespace Dst.Cli.Options;

/// <summary>Which RESP version the session speaks.</summary>
public enum ProtocolChoice
{
    /// <summary>RESP3 when the server answers HELLO 3, otherwise RESP2.</summary>
    Auto,

    /// <summary>RESP2 only (-2): HELLO is not sent.</summary>
    Resp2,

    /// <summary>RESP3 or nothing (-3): a server without HELLO 3 is an error.</summary>
    Resp3,
}
