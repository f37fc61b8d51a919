using Dst.Protocol;
using Xunit.Sdk;

namespace Dst.Server.Tests.Infrastructure;

/// <summary>Assertions on replies whose failure messages show the whole reply.</summary>
public static class RespAssert
{
    public static void Ok(RespValue reply) => SimpleString("OK", reply);

    public static void SimpleString(string expected, RespValue reply)
    {
        if (reply.Type != RespType.SimpleString || reply.GetString() != expected)
        {
            throw new XunitException($"expected +{expected}, got {reply}");
        }
    }

    public static void Bulk(string expected, RespValue reply)
    {
        if (reply.Type != RespType.BulkString || reply.GetString() != expected)
        {
            throw new XunitException($"expected \"{expected}\", got {reply}");
        }
    }

    public static void Integer(long expected, RespValue reply)
    {
        if (reply.Type != RespType.Integer || reply.Integer != expected)
        {
            throw new XunitException($"expected (integer) {expected}, got {reply}");
        }
    }

    public static long IntegerBetween(long low, long high, RespValue reply)
    {
        if (reply.Type != RespType.Integer || reply.Integer < low || reply.Integer > high)
        {
            throw new XunitException($"expected an integer in [{low}, {high}], got {reply}");
        }
        return reply.Integer;
    }

    public static void Nil(RespValue reply)
    {
        if (reply.Type != RespType.Null)
        {
            throw new XunitException($"expected (nil), got {reply}");
        }
    }

    /// <summary>An error reply with exactly this text (code included, as Redis words it).</summary>
    public static void Error(string expected, RespValue reply)
    {
        if (!reply.IsError || reply.GetString() != expected)
        {
            throw new XunitException($"expected (error) {expected}, got {reply}");
        }
    }

    public static void ErrorStartsWith(string prefix, RespValue reply)
    {
        if (!reply.IsError || !reply.GetString()!.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new XunitException($"expected an error starting with '{prefix}', got {reply}");
        }
    }

    public static void Array(RespValue reply, params string?[] expected)
    {
        var actual = reply.Type == RespType.Array ? reply.Items.Select(item => item.GetString()).ToArray() : null;
        if (actual is null || !actual.SequenceEqual(expected) || reply.Items.Any(item => item.Type is not (RespType.BulkString or RespType.Null)))
        {
            throw new XunitException($"expected [{string.Join(", ", expected.Select(e => e is null ? "(nil)" : $"\"{e}\""))}], got {reply}");
        }
    }
}
