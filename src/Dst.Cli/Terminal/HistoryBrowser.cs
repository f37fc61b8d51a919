namespace Dst.Cli.Terminal;

/// <summary>
/// Up/down through the history while one line is edited. The line being typed is kept as a draft,
/// so going past the newest entry brings it back.
/// </summary>
internal sealed class HistoryBrowser(History history)
{
    private int _index = history.Entries.Count;
    private string _draft = "";

    /// <summary>The entry before the one shown, or null at the oldest.</summary>
    public string? Previous(string current)
    {
        if (_index == 0)
        {
            return null;
        }
        if (_index == history.Entries.Count)
        {
            _draft = current;
        }
        return history.Entries[--_index];
    }

    /// <summary>The entry after the one shown, the draft after the newest, or null when already at the draft.</summary>
    public string? Next()
    {
        if (_index >= history.Entries.Count)
        {
            return null;
        }
        _index++;
        return _index == history.Entries.Count ? _draft : history.Entries[_index];
    }
}
