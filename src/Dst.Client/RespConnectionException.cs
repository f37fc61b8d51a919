namespace Dst.Client;

/// <summary>
/// The connection can no longer be used: the server closed it, it sent bytes that are not RESP,
/// or an earlier operation was cancelled or failed midway (its reply would be read as the next
/// command's). Dispose the connection and open a new one.
/// </summary>
public class RespConnectionException : IOException
{
    public RespConnectionException(string message)
        : base(message)
    {
    }

    public RespConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
