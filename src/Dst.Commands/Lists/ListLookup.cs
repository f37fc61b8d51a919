namespace Dst.Commands.Lists;

/// <summary>Finding lists in the keyspace and the index arithmetic the list commands share.</summary>
internal static class ListLookup
{
    public const string IndexOutOfRange = "ERR index out of range";

    /// <summary>
    /// Finds a key that must hold a list. Returns false after replying WRONGTYPE when it holds
    /// another type; otherwise true, with <paramref name="list"/> null when the key is missing.
    /// </summary>
    public static bool TryFind(CommandContext context, ReadOnlySpan<byte> key, out ListObject? list) =>
        context.TryFindObject(key, out list);

    public static ListFill Fill(CommandContext context) => new(context.Options.ListMaxListpackSize);

    /// <summary>Keys never hold empty lists: the last pop or removal deletes the key.</summary>
    public static void DeleteIfEmpty(CommandContext context, ListObject list)
    {
        if (list.Count == 0)
        {
            context.Keyspace.Delete(list.Key);
        }
    }

    /// <summary>
    /// Redis's range rule for LRANGE/LTRIM/ZRANGE: negative indexes count from the end, start is
    /// clamped at 0 and end at length-1. False when the range holds nothing.
    /// </summary>
    public static bool ClampRange(ref long start, ref long end, long length)
    {
        if (start < 0)
        {
            start += length;
        }
        if (end < 0)
        {
            end += length;
        }
        if (start < 0)
        {
            start = 0;
        }
        if (start > end || start >= length)
        {
            return false;
        }
        if (end >= length)
        {
            end = length - 1;
        }
        return true;
    }
}
