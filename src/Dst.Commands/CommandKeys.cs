namespace Dst.Commands;

/// <summary>Key positions from a spec's first/last/step, as Redis's legacy key specs define them.</summary>
public static class CommandKeys
{
    /// <summary>Adds the argument indexes that are keys for a call with <paramref name="argumentCount"/> arguments (name included).</summary>
    public static void Collect(CommandSpec spec, int argumentCount, List<int> into)
    {
        if (spec.FirstKey <= 0 || spec.KeyStep <= 0)
        {
            return;
        }
        var last = spec.LastKey < 0 ? argumentCount + spec.LastKey : spec.LastKey;
        for (var i = spec.FirstKey; i <= last && i < argumentCount; i += spec.KeyStep)
        {
            into.Add(i);
        }
    }
}
