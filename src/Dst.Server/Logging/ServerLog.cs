using System.Globalization;
using Dst.Server.Options;

namespace Dst.Server.Logging;

/// <summary>
/// The server log, in redis-server's line format ("pid:M dd MMM yyyy HH:mm:ss.fff * message"), to
/// standard output or to the configured file. Lines below the current level are dropped; the level
/// is read on every call so that CONFIG SET loglevel takes effect at once.
/// </summary>
public sealed class ServerLog : IDisposable
{
    private readonly ServerOptions _options;
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly Lock _gate = new();
    private readonly int _pid = Environment.ProcessId;

    public ServerLog(ServerOptions options)
    {
        _options = options;
        if (options.LogFile.Length == 0)
        {
            _writer = Console.Out;
        }
        else
        {
            _writer = new StreamWriter(new FileStream(options.LogFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            _ownsWriter = true;
        }
    }

    public bool IsEnabled(LogLevel level) => level >= _options.LogLevel;

    public void Debug(string message) => Write(LogLevel.Debug, message);

    public void Verbose(string message) => Write(LogLevel.Verbose, message);

    public void Notice(string message) => Write(LogLevel.Notice, message);

    public void Warning(string message) => Write(LogLevel.Warning, message);

    private void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }
        var mark = level switch
        {
            LogLevel.Debug => '.',
            LogLevel.Verbose => '-',
            LogLevel.Notice => '*',
            _ => '#',
        };
        var time = DateTime.Now.ToString("dd MMM yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            _writer.WriteLine($"{_pid}:M {time} {mark} {message}");
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        if (_ownsWriter)
        {
            _writer.Dispose();
        }
    }
}
