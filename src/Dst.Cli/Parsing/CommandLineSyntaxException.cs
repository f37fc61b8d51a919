namespace Dst.Cli.Parsing;

/// <summary>
/// A typed line that cannot be split into arguments. The message is what the user sees; it starts
/// with redis-cli's own wording, "Invalid argument(s)", so scripts that look for it keep working.
/// </summary>
public sealed class CommandLineSyntaxException : Exception
{
    public const string RedisCliMessage = "Invalid argument(s)";

    public CommandLineSyntaxException()
        : base(RedisCliMessage)
    {
    }

    public CommandLineSyntaxException(string detail)
        : base($"{RedisCliMessage}: {detail}")
    {
    }

    public CommandLineSyntaxException(string detail, Exception inner)
        : base($"{RedisCliMessage}: {detail}", inner)
    {
    }
}
