using Microsoft.Extensions.Logging;

namespace Dst.Cluster.Tests.Support;

/// <summary>Keeps every log line, so tests can check that a rejection was logged and at what level.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, string Text)> _lines = [];

    public List<(LogLevel Level, string Text)> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public bool Logged(LogLevel level, string fragment) =>
        Lines.Any(line => line.Level == level && line.Text.Contains(fragment, StringComparison.Ordinal));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
