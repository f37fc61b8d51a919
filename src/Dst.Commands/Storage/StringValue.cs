using System.Buffers.Text;

namespace Dst.Commands.Storage;

/// <summary>A view of a stored string: raw bytes, or a long in the "int" encoding.</summary>
public readonly ref struct StringValue
{
    /// <summary>Enough room for any long in decimal.</summary>
    public const int MaxIntegerLength = 20;

    private readonly ReadOnlySpan<byte> _raw;
    private readonly long _integer;

    internal StringValue(ReadOnlySpan<byte> raw)
    {
        _raw = raw;
        IsInteger = false;
    }

    internal StringValue(long integer)
    {
        _integer = integer;
        IsInteger = true;
    }

    public bool IsInteger { get; }

    public int Length => IsInteger ? Integers.DigitCount(_integer) : _raw.Length;

    /// <summary>The value as bytes; an integer is formatted into <paramref name="scratch"/> (at least 20 bytes).</summary>
    public ReadOnlySpan<byte> AsBytes(Span<byte> scratch)
    {
        if (!IsInteger)
        {
            return _raw;
        }
        Utf8Formatter.TryFormat(_integer, scratch, out var written);
        return scratch[..written];
    }

    /// <summary>The value as a long if it is a canonical integer (what INCR accepts).</summary>
    public bool TryGetInteger(out long value)
    {
        if (IsInteger)
        {
            value = _integer;
            return true;
        }
        return Integers.TryParse(_raw, out value);
    }
}
