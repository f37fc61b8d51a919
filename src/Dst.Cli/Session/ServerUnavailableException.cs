namespace Dst.Cli.Session;

/// <summary>
/// The server cannot be reached, closed the connection, or refused the handshake (wrong password,
/// no RESP3 under -3). The message is the line shown to the user.
/// </summary>
public sealed class ServerUnavailableException : Exception
{
    public ServerUnavailableException(string message)
        : base(message)
    {
    }

    public ServerUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
