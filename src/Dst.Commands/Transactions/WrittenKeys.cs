using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.Transactions;

/// <summary>
/// Which keys an applied write command may have written, from its table row: the declared key
/// positions, or for the movable-key writes the keys their numkeys argument lists. Marking is
/// conservative: a write that changed nothing (SET NX on an existing key, an error reply) still
/// counts, which can abort a WATCH that Redis would let through, never the reverse.
/// </summary>
internal static class WrittenKeys
{
    public static void Mark(KeyModifications modifications, CommandSpec spec, CommandArgs args, ulong index)
    {
        if ((spec.Flags & CommandFlags.MovableKeys) != 0)
        {
            MarkMovable(modifications, spec, args, index);
            return;
        }
        if (spec.Name is "flushdb" or "flushall")
        {
            modifications.MarkEverythingWritten(index);
            return;
        }
        if (spec.FirstKey <= 0 || spec.KeyStep <= 0)
        {
            return;
        }
        var last = spec.LastKey < 0 ? args.Count + spec.LastKey : spec.LastKey;
        for (var i = spec.FirstKey; i <= last && i < args.Count; i += spec.KeyStep)
        {
            modifications.MarkWritten(args[i], index);
        }
    }

    /// <summary>
    /// LMPOP/ZMPOP list their keys after numkeys at 1, BLMPOP/BZMPOP after the timeout at 2; the
    /// *STORE commands write only their destination. Any other movable-key write counts as writing
    /// everything, so a new command cannot silently escape WATCH.
    /// </summary>
    private static void MarkMovable(KeyModifications modifications, CommandSpec spec, CommandArgs args, ulong index)
    {
        if (spec.Name.EndsWith("store", StringComparison.Ordinal))
        {
            modifications.MarkWritten(args[1], index);
            return;
        }
        var numKeysAt = spec.Name switch
        {
            "lmpop" or "zmpop" => 1,
            "blmpop" or "bzmpop" => 2,
            _ => -1,
        };
        if (numKeysAt < 0 || numKeysAt >= args.Count || !Integers.TryParse(args[numKeysAt], out var numKeys) || numKeys < 0)
        {
            modifications.MarkEverythingWritten(index);
            return;
        }
        for (var i = numKeysAt + 1; i <= numKeysAt + numKeys && i < args.Count; i++)
        {
            modifications.MarkWritten(args[i], index);
        }
    }
}
