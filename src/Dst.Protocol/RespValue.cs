using System.Globalization;
using System.Text;

namespace Dst.Protocol;

/// <summary>
/// One decoded reply: its <see cref="Type"/> and the payload that type carries. Strings, errors,
/// big numbers and verbatim text keep their bytes; aggregates keep their items (a map flat, key
/// then value). A RESP3 attribute (<c>|</c>) that preceded the value is kept in <see cref="Attributes"/>.
/// Immutable once built.
/// </summary>
public sealed class RespValue
{
    private static readonly RespValue[] NoItems = [];
    private readonly RespValue[] _items;

    private RespValue(RespType type, ReadOnlyMemory<byte> bytes = default, long integer = 0, double number = 0, RespValue[]? items = null, string? format = null)
    {
        Type = type;
        Bytes = bytes;
        Integer = integer;
        Double = number;
        _items = items ?? NoItems;
        Format = format;
    }

    public static RespValue Null { get; } = new(RespType.Null);

    public static RespValue True { get; } = new(RespType.Boolean, integer: 1);

    public static RespValue False { get; } = new(RespType.Boolean, integer: 0);

    public RespType Type { get; }

    /// <summary>The text or binary payload of strings, errors, big numbers and verbatim text (without its format prefix).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The value of an <see cref="RespType.Integer"/>.</summary>
    public long Integer { get; }

    /// <summary>The value of a <see cref="RespType.Double"/>.</summary>
    public double Double { get; }

    public bool Boolean => Type == RespType.Boolean && Integer != 0;

    /// <summary>The items of an array, set or push; a map's keys and values alternating.</summary>
    public IReadOnlyList<RespValue> Items => _items;

    /// <summary>The three-letter format of a verbatim string ("txt", "mkd"); null for other types.</summary>
    public string? Format { get; }

    /// <summary>The attribute map sent just before this value, if any.</summary>
    public RespValue? Attributes { get; private init; }

    public bool IsNull => Type == RespType.Null;

    public bool IsError => Type is RespType.SimpleError or RespType.BulkError;

    /// <summary>Number of key/value pairs of a map.</summary>
    public int PairCount => Type == RespType.Map ? Items.Count / 2 : 0;

    /// <summary>The payload decoded as UTF-8 (integers and doubles as their text); null for null.</summary>
    public string? GetString() => Type switch
    {
        RespType.Null => null,
        RespType.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        RespType.Double => FormatDouble(Double),
        RespType.Boolean => Boolean ? "true" : "false",
        _ => Encoding.UTF8.GetString(Bytes.Span),
    };

    /// <summary>The map's pairs in wire order.</summary>
    public IEnumerable<KeyValuePair<RespValue, RespValue>> Pairs()
    {
        for (var i = 0; i + 1 < Items.Count; i += 2)
        {
            yield return new(Items[i], Items[i + 1]);
        }
    }

    public static RespValue SimpleString(string text) => new(RespType.SimpleString, Encoding.UTF8.GetBytes(text));

    public static RespValue SimpleError(string message) => new(RespType.SimpleError, Encoding.UTF8.GetBytes(message));

    public static RespValue FromInteger(long value) => new(RespType.Integer, integer: value);

    public static RespValue BulkString(ReadOnlyMemory<byte> bytes) => new(RespType.BulkString, bytes);

    public static RespValue BulkString(string text) => BulkString(Encoding.UTF8.GetBytes(text));

    public static RespValue BulkError(string message) => new(RespType.BulkError, Encoding.UTF8.GetBytes(message));

    public static RespValue FromBoolean(bool value) => value ? True : False;

    public static RespValue FromDouble(double value) => new(RespType.Double, number: value);

    /// <summary>A big number from its decimal text (an optional '-' then digits).</summary>
    public static RespValue BigNumber(string digits) => new(RespType.BigNumber, Encoding.ASCII.GetBytes(digits));

    public static RespValue Verbatim(string format, string text)
    {
        if (format.Length != 3)
        {
            throw new ArgumentException("A verbatim string's format is exactly three characters.", nameof(format));
        }
        return new(RespType.VerbatimString, Encoding.UTF8.GetBytes(text), format: format);
    }

    public static RespValue Array(params RespValue[] items) => new(RespType.Array, items: items);

    public static RespValue Set(params RespValue[] items) => new(RespType.Set, items: items);

    public static RespValue Push(params RespValue[] items) => new(RespType.Push, items: items);

    /// <summary>A map from its keys and values alternating; the count must be even.</summary>
    public static RespValue Map(params RespValue[] keysAndValues)
    {
        if (keysAndValues.Length % 2 != 0)
        {
            throw new ArgumentException("A map needs a value for every key.", nameof(keysAndValues));
        }
        return new(RespType.Map, items: keysAndValues);
    }

    /// <summary>A copy of this value carrying <paramref name="attributes"/> (a map).</summary>
    public RespValue WithAttributes(RespValue attributes)
    {
        if (attributes.Type != RespType.Map)
        {
            throw new ArgumentException("Attributes are a map.", nameof(attributes));
        }
        return new(Type, Bytes, Integer, Double, _items, Format) { Attributes = attributes };
    }

    internal static RespValue FromWire(RespType type, byte[] bytes, string? format = null) => new(type, bytes, format: format);

    internal static RespValue Aggregate(RespType type, RespValue[] items) => new(type, items: items);

    /// <summary>A short debugging form (type and payload); redis-cli style display lives in dst-cli.</summary>
    public override string ToString() => Type switch
    {
        RespType.Array or RespType.Set or RespType.Push or RespType.Map => $"{Type}[{string.Join(", ", Items)}]",
        _ => $"{Type}({GetString()})",
    };

    private static string FormatDouble(double value)
    {
        Span<byte> text = stackalloc byte[40];
        return Encoding.ASCII.GetString(text[..RespWriter.FormatDouble(value, text)]);
    }
}
