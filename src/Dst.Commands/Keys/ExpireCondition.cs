using System.Text;
using Dst.Protocol;

namespace Dst.Commands.Keys;

/// <summary>The NX / XX / GT / LT condition of EXPIRE and friends, parsed and checked as Redis does.</summary>
internal readonly record struct ExpireCondition(bool Nx, bool Xx, bool Gt, bool Lt)
{
    public static bool TryParse(CommandArgs args, int first, RespWriter reply, out ExpireCondition condition)
    {
        bool nx = false, xx = false, gt = false, lt = false;
        condition = default;
        for (var i = first; i < args.Count; i++)
        {
            var option = args[i];
            if (Ascii.EqualsIgnoreCase(option, "NX"u8))
            {
                nx = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "XX"u8))
            {
                xx = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "GT"u8))
            {
                gt = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "LT"u8))
            {
                lt = true;
            }
            else
            {
                reply.WriteError($"ERR Unsupported option {Encoding.UTF8.GetString(option)}");
                return false;
            }
        }
        if (nx && (xx || gt || lt))
        {
            reply.WriteError("ERR NX and XX, GT or LT options at the same time are not compatible");
            return false;
        }
        if (gt && lt)
        {
            reply.WriteError("ERR GT and LT options at the same time are not compatible");
            return false;
        }
        condition = new ExpireCondition(nx, xx, gt, lt);
        return true;
    }

    /// <summary>Whether the new expiry may replace <paramref name="current"/> (-1 = none, which GT treats as infinite).</summary>
    public bool Allows(long current, long proposed)
    {
        if (Nx && current >= 0)
        {
            return false;
        }
        if (Xx && current < 0)
        {
            return false;
        }
        if (Gt && (current < 0 || proposed <= current))
        {
            return false;
        }
        return !Lt || current < 0 || proposed < current;
    }
}
