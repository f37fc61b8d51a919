using System.Globalization;
using Dst.Protocol;
using Dst.Testing.Linearizability;

namespace Dst.Server.Tests.Jepsen;

/// <summary>
/// What the Jepsen clients send and how a reply is read. Values are digit strings that never start
/// with 0 (SET 1..99, APPEND one digit 1..9), so INCR keeps working on them until they outgrow a
/// 64-bit integer, which the model also knows.
/// </summary>
public static class Workload
{
    public const int KeyCount = 5;

    public static string Key(int index) => $"jepsen:{index}";

    public static RedisKvInput Next(Random random)
    {
        var key = Key(random.Next(KeyCount));
        var roll = random.Next(100);
        return roll switch
        {
            < 30 => new RedisKvInput(RedisKvCommand.Get, key),
            < 45 => new RedisKvInput(RedisKvCommand.Set, key, random.Next(1, 100).ToString(CultureInfo.InvariantCulture)),
            < 70 => new RedisKvInput(RedisKvCommand.Incr, key),
            < 90 => new RedisKvInput(RedisKvCommand.Append, key, random.Next(1, 10).ToString(CultureInfo.InvariantCulture)),
            _ => new RedisKvInput(RedisKvCommand.Del, key),
        };
    }

    public static string[] Command(RedisKvInput input) => input.Argument is null
        ? [input.Command.ToString().ToUpperInvariant(), input.Key]
        : [input.Command.ToString().ToUpperInvariant(), input.Key, input.Argument];

    /// <summary>How a reply ends the operation in the history.</summary>
    public enum Verdict
    {
        Ok,
        Fail,
        Unknown,
    }

    /// <summary>
    /// Reads are never unknown: a read without an answer constrains nothing and is left out. A
    /// write's error reply is a definite failure only when the server says the command was not
    /// applied (CLUSTERDOWN "no leader", "was not applied"); INCR's "not an integer"/"overflow" are
    /// answers the model predicts; any other error (e.g. CLUSTERDOWN "may or may not have been
    /// applied") leaves the write unknown.
    /// </summary>
    public static (Verdict Verdict, RedisKvReply Reply) Classify(RedisKvInput input, RespValue reply)
    {
        if (reply.IsError)
        {
            var text = reply.GetString() ?? "";
            if (input.Command == RedisKvCommand.Incr && (text.StartsWith("ERR value is not an integer", StringComparison.Ordinal) || text.Contains("overflow", StringComparison.Ordinal)))
            {
                return (Verdict.Ok, RedisKvReply.Error(text));
            }
            if (input.IsRead || text == "CLUSTERDOWN The cluster is down (no leader)" || text.Contains("was not applied", StringComparison.Ordinal))
            {
                return (Verdict.Fail, default);
            }
            return (Verdict.Unknown, default);
        }
        return reply.Type switch
        {
            RespType.SimpleString when reply.GetString() == "OK" => (Verdict.Ok, RedisKvReply.Ok),
            RespType.Null => (Verdict.Ok, RedisKvReply.Nil),
            RespType.BulkString => (Verdict.Ok, RedisKvReply.Bulk(reply.GetString()!)),
            RespType.Integer => (Verdict.Ok, RedisKvReply.Integer(reply.Integer)),
            _ => throw new InvalidDataException($"unexpected reply to {input}: {reply}"),
        };
    }
}
