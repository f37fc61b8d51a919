using Dst.Commands.KeySpecs;
using Dst.Protocol;

namespace Dst.Commands.Transactions;

/// <summary>
/// Which keys an applied write command may have written, from its table row: the declared key
/// positions, or for the movable-key writes the keys its <see cref="CommandSpec.FindKeys"/> finds,
/// less those its key flags say are only read (SINTERSTORE's and ZUNIONSTORE's sources, COPY's source): for
/// the writes whose handlers do not say what they changed (StateMachine.MarkWrittenKeys). Marking
/// is conservative: such a write that changed nothing (INCR of a list) still counts, which can abort
/// a WATCH that Redis would let through, never the reverse.
/// </summary>
internal static class WrittenKeys
{
    // Applying runs on one thread per state machine, but tests host several state machines in one process.
    [ThreadStatic]
    private static List<KeyReference>? t_keys;

    public static void Mark(KeyModifications modifications, CommandSpec spec, CommandArgs args, ulong index)
    {
        if ((spec.Flags & CommandFlags.MovableKeys) != 0)
        {
            MarkFound(modifications, spec, args, index);
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
        var last = spec.LastKeyPosition(args);
        if (!spec.HasReadOnlyKeys)
        {
            for (var i = spec.FirstKey; i <= last && i < args.Count; i += spec.KeyStep)
            {
                modifications.MarkWritten(args[i], index);
            }
            return;
        }
        // The n-th key has flags set min(n, sets - 1), as CommandKeys reports them.
        var sets = spec.KeyFlagSets;
        for (int i = spec.FirstKey, n = 0; i <= last && i < args.Count; i += spec.KeyStep, n++)
        {
            if (!KeyFlagText.IsReadOnly(sets[Math.Min(n, sets.Count - 1)]))
            {
                modifications.MarkWritten(args[i], index);
            }
        }
    }

    /// <summary>
    /// Arguments in which the finder finds no keys make the command fail, but a movable-key write
    /// whose keys cannot be found counts as writing everything, so no parsing slip lets one escape WATCH.
    /// </summary>
    private static void MarkFound(KeyModifications modifications, CommandSpec spec, CommandArgs args, ulong index)
    {
        var keys = t_keys ??= new List<KeyReference>(8);
        keys.Clear();
        if (!CommandKeys.Collect(spec, args, keys))
        {
            modifications.MarkEverythingWritten(index);
            return;
        }
        foreach (var key in keys)
        {
            if (key.FlagsIndex < 0 || key.FlagsIndex >= spec.KeyFlagSets.Count || !KeyFlagText.IsReadOnly(spec.KeyFlagSets[key.FlagsIndex]))
            {
                modifications.MarkWritten(args[key.Position], index);
            }
        }
    }
}
