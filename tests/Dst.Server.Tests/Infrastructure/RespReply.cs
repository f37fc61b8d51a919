using System.Globalization;
using System.Text;

namespace Dst.Server.Tests.Infrastructure;

/// <summary>The RESP2/RESP3 reply types a client can receive.</summary>
public enum RespKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
    Double,
    Boolean,
    BigNumber,
    BulkError,
    Verbatim,
    Map,
    Set,
    Push,
}

/// <summary>
/// One reply as the wire carried it. Maps keep their pairs flattened in <see cref="Items"/>
/// (key, value, key, value), so a test can assert the exact order the server wrote.
/// </summary>
public sealed record RespReply(RespKind Kind, string? Text = null, long Integer = 0, IReadOnlyList<RespReply>? Items = null)
{
    public static readonly RespReply Null = new(RespKind.Null);

    public bool IsError => Kind is RespKind.Error or RespKind.BulkError;

    /// <summary>The text of a string-like reply; fails the test with the reply when it is anything else.</summary>
    public string AsString() => Kind is RespKind.SimpleString or RespKind.BulkString or RespKind.Verbatim or RespKind.Double or RespKind.BigNumber
        ? Text!
        : throw new InvalidOperationException($"expected a string reply, got {this}");

    public long AsInteger() => Kind == RespKind.Integer ? Integer : throw new InvalidOperationException($"expected an integer reply, got {this}");

    public IReadOnlyList<RespReply> AsList() => Kind is RespKind.Array or RespKind.Set or RespKind.Push
        ? Items!
        : throw new InvalidOperationException($"expected an array reply, got {this}");

    /// <summary>A RESP3 map (or a RESP2 flat array of pairs) as a dictionary keyed by the string keys.</summary>
    public IReadOnlyDictionary<string, RespReply> AsMap()
    {
        if (Kind is not (RespKind.Map or RespKind.Array) || Items!.Count % 2 != 0)
        {
            throw new InvalidOperationException($"expected a map reply, got {this}");
        }
        var map = new Dictionary<string, RespReply>(StringComparer.Ordinal);
        for (var i = 0; i < Items.Count; i += 2)
        {
            map[Items[i].AsString()] = Items[i + 1];
        }
        return map;
    }

    /// <summary>Renders the reply the way redis-cli --no-raw would, so failure messages are readable.</summary>
    public override string ToString() => Kind switch
    {
        RespKind.SimpleString => Text!,
        RespKind.Error or RespKind.BulkError => $"(error) {Text}",
        RespKind.Integer => $"(integer) {Integer.ToString(CultureInfo.InvariantCulture)}",
        RespKind.BulkString or RespKind.Verbatim => $"\"{Text}\"",
        RespKind.Null => "(nil)",
        RespKind.Double => $"(double) {Text}",
        RespKind.Boolean => Integer != 0 ? "(true)" : "(false)",
        RespKind.BigNumber => $"(big number) {Text}",
        _ => RenderAggregate(),
    };

    private string RenderAggregate()
    {
        var text = new StringBuilder($"({Kind.ToString().ToLowerInvariant()} of {Items!.Count}) [");
        text.AppendJoin(", ", Items);
        return text.Append(']').ToString();
    }
}
