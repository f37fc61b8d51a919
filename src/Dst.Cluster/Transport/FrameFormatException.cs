namespace Dst.Cluster.Transport;

/// <summary>
/// Bytes from the network that do not form a valid frame or message: truncated, oversize, a bad
/// checksum, an unknown version or kind, or a length or count past its limit. The connection that
/// carried them is closed; nothing from the frame is delivered.
/// </summary>
public sealed class FrameFormatException : Exception
{
    public FrameFormatException(string message)
        : base(message)
    {
    }

    public FrameFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
