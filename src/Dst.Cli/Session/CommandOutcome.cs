namespace Dst.Cli.Session;

/// <summary>How one command line ended.</summary>
public enum CommandOutcome
{
    /// <summary>A reply (or local help) was printed.</summary>
    Replied,

    /// <summary>The server replied with an error, which was printed.</summary>
    ErrorReply,

    /// <summary>The line could not be parsed, or the server could not be reached; the message was printed to stderr.</summary>
    Failed,

    /// <summary>The user typed quit or exit.</summary>
    Quit,
}
