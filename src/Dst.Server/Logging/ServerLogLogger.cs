using Dst.Server.Options;
using Microsoft.Extensions.Logging;
using LogLevel = Dst.Server.Options.LogLevel;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Dst.Server.Logging;

/// <summary>Lets the cluster libraries (transport, Raft host), which log through <see cref="ILogger"/>, write to the server's log.</summary>
internal sealed class ServerLogLogger(ServerLog log, string category) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(MsLogLevel logLevel) => log.IsEnabled(Map(logLevel));

    public void Log<TState>(MsLogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var level = Map(logLevel);
        if (!log.IsEnabled(level))
        {
            return;
        }
        var message = $"{category}: {formatter(state, exception)}";
        if (exception is not null)
        {
            message += $" ({exception.GetType().Name}: {exception.Message})";
        }
        switch (level)
        {
            case LogLevel.Debug:
                log.Debug(message);
                break;
            case LogLevel.Verbose:
                log.Verbose(message);
                break;
            case LogLevel.Notice:
                log.Notice(message);
                break;
            default:
                log.Warning(message);
                break;
        }
    }

    private static LogLevel Map(MsLogLevel level) => level switch
    {
        MsLogLevel.Trace or MsLogLevel.Debug => LogLevel.Debug,
        MsLogLevel.Information => LogLevel.Notice,
        _ => LogLevel.Warning,
    };
}
