namespace Dst.Server.Options;

/// <summary>Redis's log levels, most verbose first.</summary>
public enum LogLevel
{
    Debug,
    Verbose,
    Notice,
    Warning,
}
