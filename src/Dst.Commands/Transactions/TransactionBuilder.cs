using System.Buffers;
using Dst.Commands.Entries;
using Dst.Protocol;

namespace Dst.Commands.Transactions;

/// <summary>
/// Collects one client's transaction (WATCHed keys with the index each was watched at, then the
/// commands queued between MULTI and EXEC) and encodes it as a single multi entry, so the whole
/// transaction is one log entry: atomic in the log and on replay. Reused across transactions; its
/// buffers grow to the largest transaction and stay.
/// </summary>
public sealed class TransactionBuilder
{
    private readonly ArrayBufferWriter<byte> _watches = new(64);
    private readonly ArrayBufferWriter<byte> _commands = new(256);

    public int WatchCount { get; private set; }

    public int CommandCount { get; private set; }

    /// <summary>Watches <paramref name="key"/> as of log index <paramref name="watchedAt"/>: a write after it aborts EXEC.</summary>
    public void Watch(ReadOnlySpan<byte> key, ulong watchedAt)
    {
        WriteEntryWriter.WriteBytes(_watches, key);
        WriteEntryWriter.WriteVarint(_watches, watchedAt);
        WatchCount++;
    }

    public void Queue(CommandArgs command)
    {
        WriteEntryWriter.WriteCommandBody(command, _commands);
        CommandCount++;
    }

    /// <summary>Drops the queued commands, keeping the watches (DISCARD keeps nothing: call <see cref="Clear"/>).</summary>
    public void ClearCommands()
    {
        _commands.ResetWrittenCount();
        CommandCount = 0;
    }

    public void Clear()
    {
        ClearCommands();
        _watches.ResetWrittenCount();
        WatchCount = 0;
    }

    /// <summary>Writes the multi entry: header with the leader's timestamp, the watches, the commands.</summary>
    public void Encode(long timestampMs, IBufferWriter<byte> payload, EntrySession session = default)
    {
        WriteEntryWriter.WriteHeader(payload, WriteEntryKind.Multi, timestampMs, session);
        WriteEntryWriter.WriteVarint(payload, (ulong)WatchCount);
        payload.Write(_watches.WrittenSpan);
        WriteEntryWriter.WriteVarint(payload, (ulong)CommandCount);
        payload.Write(_commands.WrittenSpan);
    }
}
