using System.Text;
using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.Strings;

/// <summary>The expiry options of SET and GETEX and which of them exclude each other.</summary>
[Flags]
internal enum SetOptions
{
    None = 0,
    Nx = 1 << 0,
    Xx = 1 << 1,
    Get = 1 << 2,
    KeepTtl = 1 << 3,
    Persist = 1 << 4,
    Ex = 1 << 5,
    Px = 1 << 6,
    ExAt = 1 << 7,
    PxAt = 1 << 8,

    AnyExpiry = Ex | Px | ExAt | PxAt,
    Relative = Ex | Px,
    InSeconds = Ex | ExAt,
}

/// <summary>
/// Parses SET/GETEX options as Redis's <c>parseExtendedStringArgumentsOrReply</c> does (each option
/// excludes the ones it conflicts with, not itself; anything else is a syntax error) and turns the
/// expiry argument into an absolute time the way <c>getExpireMillisecondsOrReply</c> does.
/// </summary>
internal static class ExpiryArgument
{
    public static bool TryParseOptions(CommandArgs args, int first, bool forSet, RespWriter reply, out SetOptions options, out int expiryIndex)
    {
        options = SetOptions.None;
        expiryIndex = -1;
        for (var i = first; i < args.Count; i++)
        {
            var option = args[i];
            var hasNext = i + 1 < args.Count;
            var parsed = SetOptions.None;
            if (forSet && Ascii.EqualsIgnoreCase(option, "NX"u8) && (options & SetOptions.Xx) == 0)
            {
                parsed = SetOptions.Nx;
            }
            else if (forSet && Ascii.EqualsIgnoreCase(option, "XX"u8) && (options & SetOptions.Nx) == 0)
            {
                parsed = SetOptions.Xx;
            }
            else if (forSet && Ascii.EqualsIgnoreCase(option, "GET"u8))
            {
                parsed = SetOptions.Get;
            }
            else if (forSet && Ascii.EqualsIgnoreCase(option, "KEEPTTL"u8) && (options & (SetOptions.AnyExpiry | SetOptions.Persist)) == 0)
            {
                parsed = SetOptions.KeepTtl;
            }
            else if (!forSet && Ascii.EqualsIgnoreCase(option, "PERSIST"u8) && (options & (SetOptions.AnyExpiry | SetOptions.KeepTtl)) == 0)
            {
                parsed = SetOptions.Persist;
            }
            else if (hasNext && ParseExpiryWord(option) is var unit && unit != SetOptions.None
                && (options & ((SetOptions.AnyExpiry & ~unit) | SetOptions.KeepTtl | SetOptions.Persist)) == 0)
            {
                parsed = unit;
                options &= ~SetOptions.AnyExpiry;
                expiryIndex = ++i;
            }
            if (parsed == SetOptions.None)
            {
                reply.WriteError(CommandErrors.Syntax);
                return false;
            }
            options |= parsed;
        }
        return true;
    }

    /// <summary>Absolute expiry in Unix milliseconds, or a Redis error reply.</summary>
    public static bool TryResolve(ReadOnlySpan<byte> argument, SetOptions unit, long nowMs, string commandName, RespWriter reply, out long expireAt)
    {
        expireAt = -1;
        if (!Integers.TryParse(argument, out var amount))
        {
            reply.WriteError(CommandErrors.NotInteger);
            return false;
        }
        var seconds = (unit & SetOptions.InSeconds) != 0;
        if (amount <= 0 || (seconds && amount > long.MaxValue / 1000))
        {
            reply.WriteError(CommandErrors.InvalidExpireTime(commandName));
            return false;
        }
        var milliseconds = seconds ? amount * 1000 : amount;
        if ((unit & SetOptions.Relative) != 0)
        {
            if (milliseconds > long.MaxValue - nowMs)
            {
                reply.WriteError(CommandErrors.InvalidExpireTime(commandName));
                return false;
            }
            milliseconds += nowMs;
        }
        expireAt = milliseconds;
        return true;
    }

    private static SetOptions ParseExpiryWord(ReadOnlySpan<byte> option)
    {
        if (Ascii.EqualsIgnoreCase(option, "EX"u8))
        {
            return SetOptions.Ex;
        }
        if (Ascii.EqualsIgnoreCase(option, "PX"u8))
        {
            return SetOptions.Px;
        }
        if (Ascii.EqualsIgnoreCase(option, "EXAT"u8))
        {
            return SetOptions.ExAt;
        }
        return Ascii.EqualsIgnoreCase(option, "PXAT"u8) ? SetOptions.PxAt : SetOptions.None;
    }
}
