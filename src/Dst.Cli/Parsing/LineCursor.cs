namespace Dst.Cli.Parsing;

/// <summary>A read position in one typed line, with the character classes both syntaxes share.</summary>
internal sealed class LineCursor(string line)
{
    private readonly string _line = line;

    public int Position { get; set; }

    public bool AtEnd => Position >= _line.Length;

    /// <summary>The current character, or '\0' at the end (as the C string sdssplitargs walks).</summary>
    public char Current => Position < _line.Length ? _line[Position] : '\0';

    public char Next => Position + 1 < _line.Length ? _line[Position + 1] : '\0';

    public bool HasNext => Position + 1 < _line.Length;

    public char At(int offset) => Position + offset < _line.Length ? _line[Position + offset] : '\0';

    /// <summary>Blanks as C's isspace sees them: what separates words in redis-cli.</summary>
    public static bool IsBlank(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    public bool AtBlank => !AtEnd && IsBlank(Current);

    public void SkipBlanks()
    {
        while (AtBlank)
        {
            Position++;
        }
    }

    /// <summary>Copies the current character into <paramref name="token"/> as UTF-8 (a surrogate pair as one code point).</summary>
    public void TakeLiteral(TokenBuffer token)
    {
        var length = char.IsHighSurrogate(Current) && char.IsLowSurrogate(Next) ? 2 : 1;
        token.AppendText(_line.AsSpan(Position, length));
        Position += length;
    }
}
