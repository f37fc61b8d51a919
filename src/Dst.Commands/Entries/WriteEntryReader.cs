using System.Buffers.Binary;
using System.Text;
using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.Entries;

/// <summary>
/// Decodes a write entry (see <see cref="WriteEntryWriter"/>) straight from the payload, validating
/// every length against what is left; anything malformed throws <see cref="WriteEntryFormatException"/>.
/// </summary>
public ref struct WriteEntryReader
{
    private const int FixedHeaderLength = 2 + sizeof(long);

    private ReadOnlySpan<byte> _remaining;

    public WriteEntryReader(ReadOnlySpan<byte> payload)
    {
        _remaining = payload;
        if (payload.Length < FixedHeaderLength)
        {
            throw new WriteEntryFormatException($"write entry of {payload.Length} bytes is shorter than its header");
        }
        if (payload[0] > WriteEntryWriter.Version)
        {
            throw new UnsupportedEntryVersionException(payload[0]);
        }
        if (payload[0] is not (WriteEntryWriter.Version or WriteEntryWriter.VersionWithoutBatches or WriteEntryWriter.VersionMarkingEveryWrite
            or WriteEntryWriter.VersionWithoutSessions))
        {
            throw new WriteEntryFormatException($"write entry version {payload[0]} is not supported (expected {WriteEntryWriter.Version})");
        }
        var kind = (WriteEntryKind)payload[1];
        if (kind is not (WriteEntryKind.Command or WriteEntryKind.ExpireIfDue or WriteEntryKind.Multi or WriteEntryKind.Noop or WriteEntryKind.Configure)
            && !(kind == WriteEntryKind.Batch && payload[0] >= WriteEntryWriter.Version))
        {
            throw new WriteEntryFormatException($"write entry kind {payload[1]} is unknown");
        }
        var timestamp = BinaryPrimitives.ReadInt64LittleEndian(payload[2..]);
        _remaining = payload[FixedHeaderLength..];
        var clientId = ReadVarint("client id");
        var sequence = ReadVarint("sequence");
        if (clientId == 0 || payload[0] == WriteEntryWriter.VersionWithoutSessions)
        {
            Header = new WriteEntryHeader(kind, timestamp, clientId, sequence);
        }
        else
        {
            var replyVersion = ReadReplyVersion();
            Header = new WriteEntryHeader(kind, timestamp, clientId, sequence, replyVersion, ReadVarint("acked-through sequence"));
        }
        HeaderLength = payload.Length - _remaining.Length;
        Version = payload[0];
    }

    public WriteEntryHeader Header { get; }

    /// <summary>The entry's format version (<see cref="WriteEntryWriter.Version"/> and the older ones still read).</summary>
    public byte Version { get; }

    /// <summary>Bytes of the payload the header takes; the body follows.</summary>
    public int HeaderLength { get; }

    /// <summary>Reads a count (argc, key count, command count) that cannot exceed the bytes left, one per item at least.</summary>
    public int ReadCount(string what)
    {
        var count = ReadVarint(what);
        if (count > (ulong)_remaining.Length)
        {
            throw new WriteEntryFormatException($"write entry {what} {count} exceeds the {_remaining.Length} bytes left");
        }
        return (int)count;
    }

    /// <summary>Reads one command body into <paramref name="args"/> (cleared first).</summary>
    public void ReadCommand(CommandArgs args)
    {
        args.Clear();
        var count = ReadArgumentCount();
        PassArguments(args.TryLoadEncoded(_remaining, count));
    }

    /// <summary>Checks one command body as <see cref="ReadCommand"/> does and moves past it, copying nothing.</summary>
    public void SkipCommand()
    {
        var count = ReadArgumentCount();
        PassArguments(CommandArgs.MeasureEncoded(_remaining, count));
    }

    private int ReadArgumentCount()
    {
        var count = ReadCount("argument count");
        if (count == 0)
        {
            throw new WriteEntryFormatException("write entry command has no arguments");
        }
        return count;
    }

    private void PassArguments(int consumed)
    {
        if (consumed == 0)
        {
            throw new WriteEntryFormatException("write entry argument length is truncated, malformed or longer than the entry");
        }
        _remaining = _remaining[consumed..];
    }

    /// <summary>Reads a configure body to its end: the name/value pairs, in order.</summary>
    public List<(string Name, string Value)> ReadSettings()
    {
        var count = ReadCount("setting count");
        var settings = new List<(string Name, string Value)>(count);
        for (var i = 0; i < count; i++)
        {
            var name = Encoding.UTF8.GetString(ReadBytes("setting name"));
            settings.Add((name, Encoding.UTF8.GetString(ReadBytes("setting value"))));
        }
        EnsureAtEnd();
        return settings;
    }

    /// <summary>Reads an unbounded unsigned value (a log index).</summary>
    public ulong ReadUInt64(string what) => ReadVarint(what);

    public ReadOnlySpan<byte> ReadBytes(string what)
    {
        var consumed = Varint.TryRead(_remaining, out var length);
        if (consumed == 0)
        {
            throw new WriteEntryFormatException($"write entry {what} length is truncated or malformed");
        }
        _remaining = _remaining[consumed..];
        if (length > (ulong)_remaining.Length)
        {
            throw new WriteEntryFormatException($"write entry {what} of {length} bytes exceeds the {_remaining.Length} bytes left");
        }
        var bytes = _remaining[..(int)length];
        _remaining = _remaining[(int)length..];
        return bytes;
    }

    /// <summary>True once the whole payload was consumed (a batch's commands run to the entry's end).</summary>
    public readonly bool AtEnd => _remaining.IsEmpty;

    /// <summary>Throws unless the whole payload was consumed.</summary>
    public readonly void EnsureAtEnd()
    {
        if (!_remaining.IsEmpty)
        {
            throw new WriteEntryFormatException($"write entry has {_remaining.Length} trailing bytes");
        }
    }

    private RespVersion ReadReplyVersion()
    {
        if (_remaining.IsEmpty || (RespVersion)_remaining[0] is not (RespVersion.Resp2 or RespVersion.Resp3))
        {
            throw new WriteEntryFormatException("write entry reply RESP version is missing or not 2 or 3");
        }
        var version = (RespVersion)_remaining[0];
        _remaining = _remaining[1..];
        return version;
    }

    private ulong ReadVarint(string what)
    {
        var consumed = Varint.TryRead(_remaining, out var value);
        if (consumed == 0)
        {
            throw new WriteEntryFormatException($"write entry {what} is truncated or malformed");
        }
        _remaining = _remaining[consumed..];
        return value;
    }
}
