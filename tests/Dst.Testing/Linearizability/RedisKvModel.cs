using System.Globalization;

namespace Dst.Testing.Linearizability;

public enum RedisKvCommand
{
    Set,
    Get,
    Incr,
    Append,
    Del,
}

/// <summary>One string command on one key: SET/APPEND carry <see cref="Argument"/>.</summary>
public readonly record struct RedisKvInput(RedisKvCommand Command, string Key, string? Argument = null)
{
    public bool IsRead => Command == RedisKvCommand.Get;

    public override string ToString() => Argument is null ? $"{Command.ToString().ToUpperInvariant()} {Key}" : $"{Command.ToString().ToUpperInvariant()} {Key} {Argument}";
}

public enum RedisKvReplyKind
{
    Ok,
    Nil,
    Bulk,
    Integer,
    Error,
}

/// <summary>A reply as the model compares it: errors match by kind only (their wording is not part of the model).</summary>
public readonly record struct RedisKvReply(RedisKvReplyKind Kind, string? Text = null)
{
    public static readonly RedisKvReply Ok = new(RedisKvReplyKind.Ok);
    public static readonly RedisKvReply Nil = new(RedisKvReplyKind.Nil);

    public static RedisKvReply Bulk(string value) => new(RedisKvReplyKind.Bulk, value);

    public static RedisKvReply Integer(long value) => new(RedisKvReplyKind.Integer, value.ToString(CultureInfo.InvariantCulture));

    public static RedisKvReply Error(string message) => new(RedisKvReplyKind.Error, message);

    public bool Matches(RedisKvReply other) => Kind == other.Kind && (Kind == RedisKvReplyKind.Error || Text == other.Text);

    public override string ToString() => Kind switch
    {
        RedisKvReplyKind.Ok => "OK",
        RedisKvReplyKind.Nil => "(nil)",
        RedisKvReplyKind.Bulk => $"\"{Text}\"",
        RedisKvReplyKind.Integer => $"(integer) {Text}",
        _ => $"(error) {Text}",
    };
}

/// <summary>The value of one key: <c>null</c> when the key does not exist.</summary>
public readonly record struct RedisKvState(string? Value);

/// <summary>
/// Redis's string commands on one key as a sequential specification, for checking histories of
/// SET, GET, INCR, APPEND and DEL taken from real servers. Keys are independent partitions. INCR
/// follows Redis exactly: the value must be a canonical 64-bit integer (no sign but '-', no leading
/// zeros, no spaces) and must not overflow, otherwise it is an error and changes nothing. A write
/// with unknown outcome takes the effect its input implies, whenever the checker places it.
/// </summary>
public sealed class RedisKvModel : IModel<RedisKvState, RedisKvInput, RedisKvReply>
{
    public RedisKvState Initial => default;

    public string Partition(RedisKvInput input) => input.Key;

    public bool Step(RedisKvState state, RedisKvInput input, RedisKvReply output, bool outcomeKnown, out RedisKvState next)
    {
        var (expected, after) = Apply(state, input);
        next = after;
        return !outcomeKnown || expected.Matches(output);
    }

    /// <summary>The reply and the new state of <paramref name="input"/> applied to <paramref name="state"/>.</summary>
    public static (RedisKvReply Reply, RedisKvState Next) Apply(RedisKvState state, RedisKvInput input)
    {
        switch (input.Command)
        {
            case RedisKvCommand.Set:
                return (RedisKvReply.Ok, new RedisKvState(input.Argument ?? ""));
            case RedisKvCommand.Get:
                return (state.Value is null ? RedisKvReply.Nil : RedisKvReply.Bulk(state.Value), state);
            case RedisKvCommand.Append:
                var appended = (state.Value ?? "") + (input.Argument ?? "");
                return (RedisKvReply.Integer(System.Text.Encoding.UTF8.GetByteCount(appended)), new RedisKvState(appended));
            case RedisKvCommand.Del:
                return (RedisKvReply.Integer(state.Value is null ? 0 : 1), default);
            case RedisKvCommand.Incr:
                if (state.Value is null)
                {
                    return (RedisKvReply.Integer(1), new RedisKvState("1"));
                }
                if (!TryParseCanonical(state.Value, out var current))
                {
                    return (RedisKvReply.Error("ERR value is not an integer or out of range"), state);
                }
                if (current == long.MaxValue)
                {
                    return (RedisKvReply.Error("ERR increment or decrement would overflow"), state);
                }
                var incremented = (current + 1).ToString(CultureInfo.InvariantCulture);
                return (RedisKvReply.Integer(current + 1), new RedisKvState(incremented));
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input.Command, "unknown command");
        }
    }

    /// <summary>Redis's string2ll: what INCR accepts as an integer.</summary>
    public static bool TryParseCanonical(string text, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 20)
        {
            return false;
        }
        if (text == "0")
        {
            return true;
        }
        var digits = text[0] == '-' ? text.AsSpan(1) : text.AsSpan();
        if (digits.Length == 0 || digits[0] is < '1' or > '9')
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
