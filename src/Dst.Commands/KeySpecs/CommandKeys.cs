using Dst.Protocol;

namespace Dst.Commands.KeySpecs;

/// <summary>
/// The keys of one call, for COMMAND GETKEYS, WATCH bookkeeping and key routing: the spec's
/// <see cref="CommandSpec.FindKeys"/> when it has one, else its first/last/step as Redis's legacy
/// key specs define them. With first/last/step the i-th key takes flags set min(i, sets - 1), which
/// is how Redis's key specs split those commands (LMOVE source then destination, SINTERSTORE
/// destination then sources).
/// </summary>
public static class CommandKeys
{
    /// <summary>Adds the keys of <paramref name="args"/> (name included) to <paramref name="into"/>; false when they name no keys.</summary>
    public static bool Collect(CommandSpec spec, CommandArgs args, List<KeyReference> into)
    {
        if (spec.FindKeys is not null)
        {
            return spec.FindKeys(args, into);
        }
        if (spec.FirstKey <= 0 || spec.KeyStep <= 0)
        {
            return false;
        }
        var start = into.Count;
        var lastFlags = Math.Max(0, spec.KeyFlagSets.Count - 1);
        var last = spec.LastKeyPosition(args);
        for (var i = spec.FirstKey; i <= last && i < args.Count; i += spec.KeyStep)
        {
            into.Add(new KeyReference(i, Math.Min(into.Count - start, lastFlags)));
        }
        return into.Count > start;
    }
}
