using Xunit.Sdk;

namespace Dst.Server.Tests.Infrastructure;

/// <summary>Assertions on replies whose failure messages show the whole reply as redis-cli would.</summary>
public static class RespAssert
{
    public static void Ok(RespReply reply) => SimpleString("OK", reply);

    public static void SimpleString(string expected, RespReply reply)
    {
        if (reply.Kind != RespKind.SimpleString || reply.Text != expected)
        {
            throw new XunitException($"expected +{expected}, got {reply}");
        }
    }

    public static void Bulk(string expected, RespReply reply)
    {
        if (reply.Kind != RespKind.BulkString || reply.Text != expected)
        {
            throw new XunitException($"expected \"{expected}\", got {reply}");
        }
    }

    public static void Integer(long expected, RespReply reply)
    {
        if (reply.Kind != RespKind.Integer || reply.Integer != expected)
        {
            throw new XunitException($"expected (integer) {expected}, got {reply}");
        }
    }

    public static long IntegerBetween(long low, long high, RespReply reply)
    {
        if (reply.Kind != RespKind.Integer || reply.Integer < low || reply.Integer > high)
        {
            throw new XunitException($"expected an integer in [{low}, {high}], got {reply}");
        }
        return reply.Integer;
    }

    public static void Nil(RespReply reply)
    {
        if (reply.Kind != RespKind.Null)
        {
            throw new XunitException($"expected (nil), got {reply}");
        }
    }

    /// <summary>An error reply with exactly this text (code included, as Redis words it).</summary>
    public static void Error(string expected, RespReply reply)
    {
        if (!reply.IsError || reply.Text != expected)
        {
            throw new XunitException($"expected (error) {expected}, got {reply}");
        }
    }

    public static void ErrorStartsWith(string prefix, RespReply reply)
    {
        if (!reply.IsError || !reply.Text!.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new XunitException($"expected an error starting with '{prefix}', got {reply}");
        }
    }

    public static void Array(RespReply reply, params string?[] expected)
    {
        var actual = reply.Kind == RespKind.Array ? reply.Items!.Select(item => item.Kind == RespKind.Null ? null : item.Text).ToArray() : null;
        if (actual is null || !actual.SequenceEqual(expected) || reply.Items!.Any(item => item.Kind is not (RespKind.BulkString or RespKind.Null)))
        {
            throw new XunitException($"expected [{string.Join(", ", expected.Select(e => e is null ? "(nil)" : $"\"{e}\""))}], got {reply}");
        }
    }
}
