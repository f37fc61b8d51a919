using System.Text;

namespace Dst.Commands;

/// <summary>
/// Finds a command by the bytes of its name in any ASCII case: an open-addressing table keyed by the
/// lowercase name, probed with a hash that folds case as it reads, so a lookup neither copies nor
/// allocates. Every write looks its name up twice (dispatch, apply), which made the lowercasing
/// lookup through a string dictionary measurable.
/// </summary>
internal sealed class CommandNameIndex
{
    private readonly byte[]?[] _names;
    private readonly CommandSpec?[] _specs;
    private readonly int _mask;

    /// <param name="specs">Commands with distinct lowercase ASCII names.</param>
    public CommandNameIndex(IReadOnlyCollection<CommandSpec> specs)
    {
        // At most a quarter full: probes mostly end at the first slot.
        var capacity = 16;
        while (capacity < specs.Count * 4)
        {
            capacity *= 2;
        }
        _names = new byte[capacity][];
        _specs = new CommandSpec[capacity];
        _mask = capacity - 1;
        foreach (var spec in specs)
        {
            var name = Encoding.ASCII.GetBytes(spec.Name);
            var slot = Hash(name) & _mask;
            while (_names[slot] is not null)
            {
                slot = (slot + 1) & _mask;
            }
            _names[slot] = name;
            _specs[slot] = spec;
        }
    }

    public CommandSpec? Find(ReadOnlySpan<byte> name)
    {
        for (var slot = Hash(name) & _mask; _names[slot] is { } candidate; slot = (slot + 1) & _mask)
        {
            if (EqualsLowercase(name, candidate))
            {
                return _specs[slot];
            }
        }
        return null;
    }

    /// <summary>
    /// ORing 0x20 into every byte lowercases the letters (and maps a few other characters onto each
    /// other, which only costs a probe): names that differ in ASCII case hash alike.
    /// </summary>
    private static int Hash(ReadOnlySpan<byte> name)
    {
        var hash = 2166136261u;
        foreach (var b in name)
        {
            hash = (hash ^ (uint)(b | 0x20)) * 16777619u;
        }
        return (int)(hash ^ (hash >> 15));
    }

    /// <summary>Whether <paramref name="name"/> is <paramref name="lowercase"/> in any ASCII case; non-ASCII bytes never match.</summary>
    private static bool EqualsLowercase(ReadOnlySpan<byte> name, byte[] lowercase)
    {
        if (name.Length != lowercase.Length)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var b = name[i];
            if ((b is >= (byte)'A' and <= (byte)'Z' ? b | 0x20 : b) != lowercase[i])
            {
                return false;
            }
        }
        return true;
    }
}
