using Dst.Protocol;

namespace Dst.Testing.Resp;

/// <summary>Typed views of a reply that fail with the whole reply in the message when the type is wrong.</summary>
public static class RespValueExtensions
{
    public static string AsString(this RespValue reply) =>
        reply.Type is RespType.SimpleString or RespType.BulkString or RespType.VerbatimString or RespType.Double or RespType.BigNumber
            ? reply.GetString()!
            : throw new InvalidOperationException($"expected a string reply, got {reply}");

    public static string AsError(this RespValue reply) =>
        reply.IsError ? reply.GetString()! : throw new InvalidOperationException($"expected an error reply, got {reply}");

    public static long AsInteger(this RespValue reply) =>
        reply.Type == RespType.Integer ? reply.Integer : throw new InvalidOperationException($"expected an integer reply, got {reply}");

    public static IReadOnlyList<RespValue> AsList(this RespValue reply) =>
        reply.Type is RespType.Array or RespType.Set or RespType.Push
            ? reply.Items
            : throw new InvalidOperationException($"expected an array reply, got {reply}");

    /// <summary>A RESP3 map, or a RESP2 flat array of pairs, keyed by its string keys.</summary>
    public static IReadOnlyDictionary<string, RespValue> AsMap(this RespValue reply)
    {
        if (reply.Type is not (RespType.Map or RespType.Array) || reply.Items.Count % 2 != 0)
        {
            throw new InvalidOperationException($"expected a map reply, got {reply}");
        }
        var map = new Dictionary<string, RespValue>(StringComparer.Ordinal);
        for (var i = 0; i < reply.Items.Count; i += 2)
        {
            map[reply.Items[i].AsString()] = reply.Items[i + 1];
        }
        return map;
    }
}
