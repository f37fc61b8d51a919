using System.Text;

namespace Dst.Cli.Terminal;

/// <summary>
/// Lines typed before, oldest first, at most <see cref="Capacity"/> of them, kept in a file between
/// sessions (one line each). A line equal to the previous one is not added again. A history file
/// that cannot be read or written only costs the history, never the session.
/// </summary>
public sealed class History(string? path, int capacity = 1000)
{
    private static readonly UTF8Encoding NoByteOrderMark = new(encoderShouldEmitUTF8Identifier: false);
    private readonly List<string> _entries = [];

    public int Capacity { get; } = capacity;

    public IReadOnlyList<string> Entries => _entries;

    /// <summary>The file named by DST_CLI_HISTFILE, else ~/.dst_history; null when there is no home directory.</summary>
    public static string? DefaultPath()
    {
        if (Environment.GetEnvironmentVariable("DST_CLI_HISTFILE") is { Length: > 0 } path)
        {
            return path;
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 0 ? Path.Combine(home, ".dst_history") : null;
    }

    public void Load()
    {
        if (path is null || !File.Exists(path))
        {
            return;
        }
        try
        {
            foreach (var line in File.ReadLines(path, Encoding.UTF8))
            {
                AddEntry(line);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // An unreadable history file starts an empty history.
        }
    }

    /// <summary>Adds a line and rewrites the file (it is small, and the file then never holds more than the capacity).</summary>
    public void Add(string line)
    {
        if (!AddEntry(line) || path is null)
        {
            return;
        }
        try
        {
            File.WriteAllLines(path, _entries, NoByteOrderMark);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A read-only home directory: the history lives for this session only.
        }
    }

    private bool AddEntry(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || line.Contains('\n') || (_entries.Count > 0 && _entries[^1] == line))
        {
            return false;
        }
        _entries.Add(line);
        if (_entries.Count > Capacity)
        {
            _entries.RemoveRange(0, _entries.Count - Capacity);
        }
        return true;
    }
}
