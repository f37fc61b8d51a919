using System.Text;

namespace Dst.Testing.Processes;

/// <summary>
/// The last lines a child process printed, kept for failure messages (bounded, thread-safe).
/// Marks (the command line, "restart") are interleaved so a reader sees which run printed what.
/// </summary>
public sealed class ProcessOutput
{
    private const int MaxLines = 400;
    private readonly Queue<(bool IsMark, string Text)> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string? line)
    {
        if (line is not null)
        {
            Enqueue(false, line);
        }
    }

    public void Mark(string marker) => Enqueue(true, marker);

    /// <summary>What the process itself printed since the last mark (its current run), without the marks.</summary>
    public string CurrentRun()
    {
        lock (_gate)
        {
            var run = _lines.Reverse().TakeWhile(line => !line.IsMark).Reverse().Select(line => line.Text);
            return new StringBuilder().AppendJoin('\n', run).ToString();
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return new StringBuilder().AppendJoin('\n', _lines.Select(line => line.Text)).ToString();
        }
    }

    private void Enqueue(bool isMark, string text)
    {
        lock (_gate)
        {
            if (_lines.Count == MaxLines)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue((isMark, text));
        }
    }
}
