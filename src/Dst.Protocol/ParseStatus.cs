namespace Dst.Protocol;

/// <summary>The outcome of one attempt to parse a frame from a receive buffer.</summary>
public enum ParseStatus
{
    /// <summary>A whole frame was parsed and the reader moved past it.</summary>
    Complete,

    /// <summary>The buffer ends inside a frame; the reader did not move. Call again with more bytes.</summary>
    Incomplete,

    /// <summary>The bytes are not valid RESP; the error says why and the connection should close.</summary>
    Error,
}
