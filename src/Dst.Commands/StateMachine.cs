using System.Buffers;
using Dst.Commands.Entries;
using Dst.Commands.Sessions;
using Dst.Commands.Snapshots;
using Dst.Commands.Transactions;
using Dst.Protocol;

namespace Dst.Commands;

/// <summary>
/// The deterministic state machine behind every replica: it applies write entries in log order and
/// answers reads on the applied state. It never reads the clock and draws no unseeded randomness:
/// "now" comes from the entry (writes) or from the reader (reads), so every replica that applies the
/// same log holds the same data and writes the same snapshot bytes.
/// <para>Not thread-safe: callers hold <see cref="SyncRoot"/> around <see cref="ExecuteRead"/>, <see cref="Apply"/>,
/// <see cref="LoadSnapshot"/> and <see cref="CaptureSnapshot"/>; a captured image is written without it.</para>
/// </summary>
public sealed class StateMachine
{
    private readonly CommandTable _table;
    private readonly CommandContext _context;
    // The start-up settings: what a snapshot without a settings section restores.
    private readonly StateMachineOptions _initialOptions;
    private readonly RespWriter _discard = new(new DiscardBufferWriter());
    // The format version of the entry being applied: entries apply as the build that wrote them did.
    private byte _entryVersion;
    // Arguments decoded from entries; reused so applying allocates nothing once grown.
    private readonly CommandArgs _entryArgs = new();
    // A session write's reply is produced on every replica (each keeps it for retries), here.
    private readonly ArrayBufferWriter<byte> _sessionReply = new(256);
    private readonly RespWriter _sessionReplyWriter;

    public StateMachine(CommandTable table, StateMachineOptions options)
    {
        _table = table;
        _initialOptions = options;
        Options = options;
        _context = new CommandContext(Keyspace, options, _discard);
        _sessionReplyWriter = new RespWriter(_sessionReply);
        Sessions = new SessionTable(options);
    }

    public Keyspace Keyspace { get; } = new();

    /// <summary>
    /// The settings apply runs with: the start-up ones until a Configure entry (CONFIG SET of an
    /// encoding threshold) or a snapshot changes them. Replaced whole, so other threads may read it.
    /// </summary>
    public StateMachineOptions Options { get; private set; }

    public CommandTable Table => _table;

    public object SyncRoot { get; } = new();

    /// <summary>The log index of each key's last write: decides WATCH at EXEC and wakes blocked clients.</summary>
    public KeyModifications Modifications { get; } = new();

    /// <summary>Exactly-once sessions: the replies of applied session writes, for their retries.</summary>
    public SessionTable Sessions { get; }

    /// <summary>A command of a batch entry failed with an exception (a bug): its entry index and the exception.</summary>
    public event Action<ulong, Exception>? CommandFailed;

    /// <summary>The error a client gets for a write whose apply threw (a bug): the same on every replica.</summary>
    public static string ApplyFailure(Exception e) => $"ERR internal error applying the command: {e.Message}";

    /// <summary>Index of the last log entry applied (or covered by the loaded snapshot).</summary>
    public ulong AppliedIndex { get; private set; }

    /// <summary>
    /// Runs a read-only command on the applied state. <paramref name="nowMs"/> (the reader's clock)
    /// hides expired keys; nothing is mutated, not even expired keys.
    /// </summary>
    public void ExecuteRead(CommandSpec spec, CommandArgs args, long nowMs, RespWriter reply)
    {
        if (spec.Handler is null || !spec.IsReadOnly)
        {
            throw new ArgumentException($"'{spec.Name}' is not a read-only keyspace command; writes go through Apply", nameof(spec));
        }
        _context.Begin(nowMs, applying: false, reply, replay: false);
        spec.Handler(_context, args);
    }

    /// <summary>
    /// Runs a write on the read path when it would change nothing at <paramref name="nowMs"/>: one flagged
    /// <see cref="CommandFlags.NoOpWithoutKeys"/> whose keys are all missing, or one whose
    /// <see cref="CommandSpec.WouldChangeNothing"/> says so. Its reply is then the one applying it would
    /// give and no log entry is needed. Returns false, having written nothing, otherwise.
    /// </summary>
    public bool TryExecuteUnchanged(CommandSpec spec, CommandArgs args, long nowMs, RespWriter reply)
    {
        if (spec.Handler is null || !spec.IsWrite)
        {
            throw new ArgumentException($"'{spec.Name}' is not a write the keyspace runs", nameof(spec));
        }
        _context.Begin(nowMs, applying: false, reply, replay: false);
        if (!AllKeysMissing(spec, args) && spec.WouldChangeNothing?.Invoke(_context, args) != true)
        {
            return false;
        }
        spec.Handler(_context, args);
        return true;
    }

    private bool AllKeysMissing(CommandSpec spec, CommandArgs args)
    {
        if ((spec.Flags & CommandFlags.NoOpWithoutKeys) == 0 || spec.FirstKey <= 0 || spec.KeyStep <= 0)
        {
            return false;
        }
        var last = spec.LastKeyPosition(args);
        for (var i = spec.FirstKey; i <= last && i < args.Count; i += spec.KeyStep)
        {
            if (Keyspace.Find(args[i]) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Encodes a write command and the leader's timestamp (and its session, if any) as a log entry payload.</summary>
    public static void EncodeCommand(CommandArgs args, long timestampMs, IBufferWriter<byte> payload, EntrySession session = default) =>
        WriteEntryWriter.EncodeCommand(args, timestampMs, payload, session);

    /// <summary>Encodes a Configure entry: the encoding thresholds to change (canonical names, values as text), all or none.</summary>
    public static void EncodeConfigure(IReadOnlyList<(string Name, string Value)> settings, long timestampMs, IBufferWriter<byte> payload) =>
        WriteEntryWriter.EncodeConfigure(settings, timestampMs, payload);

    /// <summary>Encodes an active-expiry entry: each key is deleted only if still expired at <paramref name="timestampMs"/>.</summary>
    public static void EncodeExpireIfDue(IReadOnlyList<byte[]> keys, long timestampMs, IBufferWriter<byte> payload) =>
        WriteEntryWriter.EncodeExpireIfDue(keys, timestampMs, payload);

    /// <summary>
    /// Applies the entry at <paramref name="index"/>. <paramref name="reply"/> is null on replay and on
    /// followers. An empty payload (a new leader's empty entry) only advances the index; entries at or
    /// below <see cref="AppliedIndex"/> are already reflected (a snapshot covers them) and are skipped.
    /// A malformed payload throws <see cref="WriteEntryFormatException"/> before anything is changed.
    /// </summary>
    public void Apply(ulong index, ReadOnlySpan<byte> payload, RespWriter? reply)
    {
        if (index <= AppliedIndex)
        {
            return;
        }
        if (!payload.IsEmpty)
        {
            ApplyEntry(index, payload, reply ?? _discard, replay: reply is null);
        }
        AppliedIndex = index;
    }

    /// <summary>
    /// Captures the state at <see cref="AppliedIndex"/> for a snapshot, in a pause of a few array
    /// copies: the replicated settings (the encoding thresholds apply used), the key-modification
    /// table (WATCH must decide the same on a replica restored from the snapshot), the session table,
    /// then the whole keyspace, expiries included. The image is written later, from any thread, while
    /// entries keep being applied; the caller holds <see cref="SyncRoot"/> for the capture only.
    /// </summary>
    public StateImage CaptureSnapshot()
    {
        var settings = EncodingThresholds.Values(Options);
        var modifications = Modifications.Copy();
        var sessions = Sessions.EncodeSection();
        var keyspace = Keyspace.Capture();
        var appliedIndex = AppliedIndex;
        return new StateImage(appliedIndex,
            [
                (destination, _) => SettingsSection.Write(destination, settings),
                (destination, _) => modifications.WriteSection(destination),
                (destination, _) => destination.Write(sessions),
                (destination, cancellation) => SnapshotWriter.Write(keyspace, appliedIndex, destination, cancellation),
            ],
            keyspace);
    }

    /// <summary>Captures and writes a snapshot in one go (<see cref="CaptureSnapshot"/>).</summary>
    public void WriteSnapshot(Stream destination)
    {
        using var image = CaptureSnapshot();
        image.WriteTo(destination);
    }

    /// <summary>
    /// Replaces the state with a snapshot's. A corrupt snapshot throws and leaves the state as it was.
    /// A snapshot written before the modification table existed counts every key as written at its
    /// index; one written before the settings section existed restores the start-up settings.
    /// </summary>
    public void LoadSnapshot(Stream source)
    {
        var loaded = new Keyspace();
        SessionTable? sessions = null;
        List<(string Name, string Value)>? settings;
        KeyModifications? modifications;
        try
        {
            settings = StartsSection(source, SnapshotSection.MagicLength, SettingsSection.Starts) ? SettingsSection.Read(source) : null;
            modifications = ReadModificationSection(source);
            if (StartsSection(source, SnapshotSection.MagicLength, SessionTable.StartsSection))
            {
                sessions = SessionTable.ReadSection(source, Options);
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("snapshot is truncated", e);
        }
        var options = _initialOptions;
        if (settings is not null && EncodingThresholds.TryApply(_initialOptions, settings, out options) is { } error)
        {
            throw new InvalidDataException($"snapshot settings are invalid: {error}");
        }
        var appliedIndex = SnapshotReader.Read(source, loaded);
        AppliedIndex = appliedIndex;
        Keyspace.ReplaceWith(loaded);
        SetOptions(options);
        Sessions.ReplaceWith(sessions ?? new SessionTable(options));
        if (modifications is null)
        {
            Modifications.Reset(appliedIndex);
        }
        else
        {
            Modifications.ReplaceWith(modifications);
        }
    }

    private static KeyModifications? ReadModificationSection(Stream source) =>
        StartsSection(source, KeyModifications.MagicLength, KeyModifications.StartsSection) ? KeyModifications.ReadSection(source) : null;

    /// <summary>
    /// Consumes an optional section's magic when it is next; otherwise rewinds, because an older
    /// snapshot without the section has the next part right here.
    /// </summary>
    private static bool StartsSection(Stream source, int magicLength, SectionMagic isMagic)
    {
        var start = source.CanSeek ? source.Position : -1;
        Span<byte> magic = stackalloc byte[magicLength];
        source.ReadExactly(magic);
        if (isMagic(magic))
        {
            return true;
        }
        if (start < 0)
        {
            throw new InvalidDataException("snapshot section is missing and the stream cannot rewind past its place");
        }
        source.Position = start;
        return false;
    }

    private delegate bool SectionMagic(ReadOnlySpan<byte> firstBytes);

    /// <summary>Active-expiry sampling: copies up to <paramref name="max"/> keys expired at <paramref name="nowMs"/> (read only).</summary>
    public int CollectExpiredKeys(long nowMs, int max, List<byte[]> into) => Keyspace.CollectExpiredKeys(nowMs, max, into);

    private void ApplyEntry(ulong index, ReadOnlySpan<byte> payload, RespWriter reply, bool replay)
    {
        var reader = new WriteEntryReader(payload);
        _entryVersion = reader.Version;
        if (reader.Header.HasSession)
        {
            ApplySessionEntry(ref reader, index, reply, replay);
        }
        else
        {
            ApplyBody(ref reader, index, reply, replay);
        }
    }

    /// <summary>
    /// A write of an exactly-once session: applied once, however often it is retried. Every replica
    /// produces and keeps the reply, in the RESP version the entry names, so any later leader can
    /// answer a retry with it.
    /// </summary>
    private void ApplySessionEntry(ref WriteEntryReader reader, ulong index, RespWriter reply, bool replay)
    {
        var header = reader.Header;
        switch (Sessions.Decide(header, index, out var kept, out var refusal))
        {
            case SessionVerdict.Duplicate:
                reply.WriteRaw(kept);
                return;
            case SessionVerdict.Refuse:
                reply.WriteError(refusal!);
                return;
        }
        _sessionReply.ResetWrittenCount();
        _sessionReplyWriter.Version = header.ReplyVersion;
        ApplyBody(ref reader, index, _sessionReplyWriter, replay);
        var produced = _sessionReply.WrittenSpan.ToArray();
        Sessions.Keep(header.ClientId, header.Sequence, produced);
        reply.WriteRaw(produced);
    }

    private void ApplyBody(ref WriteEntryReader reader, ulong index, RespWriter reply, bool replay)
    {
        var header = reader.Header;
        switch (header.Kind)
        {
            case WriteEntryKind.Command:
                reader.ReadCommand(_entryArgs);
                reader.EnsureAtEnd();
                RunCommand(index, header.TimestampMs, reply, replay);
                break;
            case WriteEntryKind.Multi:
                Validate(reader);
                ApplyTransaction(ref reader, index, header.TimestampMs, reply, replay);
                break;
            case WriteEntryKind.ExpireIfDue:
                Validate(reader);
                ExpireIfDue(ref reader, index, header.TimestampMs, reply, replay);
                break;
            case WriteEntryKind.Batch:
                Validate(reader);
                ApplyBatch(ref reader, index, header.TimestampMs, reply, replay);
                break;
            case WriteEntryKind.Noop:
                reader.EnsureAtEnd();
                break;
            case WriteEntryKind.Configure:
                Configure(reader.ReadSettings(), reply);
                break;
        }
    }

    /// <summary>
    /// CONFIG SET of encoding thresholds, at this entry's place in the log on every replica. Checked
    /// again here as CONFIG SET checks before proposing, so a bad entry is refused the same way everywhere.
    /// </summary>
    private void Configure(List<(string Name, string Value)> settings, RespWriter reply)
    {
        if (EncodingThresholds.TryApply(Options, settings, out var updated) is { } error)
        {
            reply.WriteError(error);
            return;
        }
        SetOptions(updated);
        reply.WriteOk();
    }

    private void SetOptions(StateMachineOptions options)
    {
        Options = options;
        _context.Options = options;
    }

    /// <summary>
    /// EXEC: when a watched key was written after the index it was watched at, the transaction
    /// aborts with the null array and runs nothing; otherwise every command runs, replies in one array.
    /// </summary>
    private void ApplyTransaction(ref WriteEntryReader reader, ulong index, long timestampMs, RespWriter reply, bool replay)
    {
        var watches = reader.ReadCount("watch count");
        var aborted = false;
        for (var i = 0; i < watches; i++)
        {
            var key = reader.ReadBytes("watched key");
            aborted |= Modifications.WrittenSince(key, reader.ReadUInt64("watched-at index"));
        }
        var commands = reader.ReadCount("command count");
        if (aborted)
        {
            reply.WriteNullArray();
            return;
        }
        reply.WriteArrayHeader(commands);
        for (var i = 0; i < commands; i++)
        {
            reader.ReadCommand(_entryArgs);
            RunCommand(index, timestampMs, reply, replay);
        }
    }

    /// <summary>
    /// A batch: each command applies and replies in turn. One that fails with an exception (a bug) gets an
    /// error reply and the rest go on, so the connection still gets one reply a command; every replica
    /// fails it the same way (<see cref="CommandFailed"/> is told).
    /// </summary>
    private void ApplyBatch(ref WriteEntryReader reader, ulong index, long timestampMs, RespWriter reply, bool replay)
    {
        while (!reader.AtEnd)
        {
            reader.ReadCommand(_entryArgs);
            try
            {
                RunCommand(index, timestampMs, reply, replay);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                CommandFailed?.Invoke(index, e);
                reply.WriteError(ApplyFailure(e));
            }
        }
    }

    private void RunCommand(ulong index, long timestampMs, RespWriter reply, bool replay)
    {
        var args = _entryArgs;
        var spec = _table.Lookup(args[0]);
        if (spec is null)
        {
            CommandErrors.WriteUnknownCommand(reply, args);
        }
        else if (!CommandArity.Check(spec, args))
        {
            CommandErrors.WriteWrongArity(reply, spec);
        }
        else if (spec.Handler is null)
        {
            reply.WriteError($"ERR '{spec.Name}' is answered by the server and cannot be applied from the log");
        }
        else
        {
            _context.Begin(timestampMs, applying: true, reply, replay);
            _context.EntryIndex = _entryVersion >= WriteEntryWriter.VersionWithoutBatches ? index : 0;
            spec.Handler(_context, args);
            // A blocking command that found nothing changed nothing: it must not wake other waiters.
            if (spec.IsWrite && !_context.BlockedOnKeys)
            {
                MarkWrittenKeys(spec, args, index);
            }
        }
    }

    /// <summary>
    /// Marks the keys an applied write changed, for WATCH and for blocked clients: the ones its handler
    /// reported, if it did (none when it changed nothing), otherwise every key it names. Not what it
    /// reported when it met and deleted an expired key, nor for entries from before version 3, which
    /// mark every write as they did when they were written.
    /// </summary>
    private void MarkWrittenKeys(CommandSpec spec, CommandArgs args, ulong index)
    {
        if (Keyspace.DeletedExpiredKey || _entryVersion < WriteEntryWriter.VersionWithoutBatches
            || (!_context.ChangedNothing && _context.ChangedKeyPositions.Count == 0))
        {
            WrittenKeys.Mark(Modifications, spec, args, index);
            return;
        }
        foreach (var position in _context.ChangedKeyPositions)
        {
            Modifications.MarkWritten(args[position], index);
        }
    }

    private void ExpireIfDue(ref WriteEntryReader reader, ulong index, long timestampMs, RespWriter reply, bool replay)
    {
        _context.Begin(timestampMs, applying: true, reply, replay);
        var deleted = 0;
        var keys = reader.ReadCount("key count");
        for (var i = 0; i < keys; i++)
        {
            var key = reader.ReadBytes("key");
            // Find deletes the key when it is expired at the entry's timestamp; a key that got a new
            // value or expiry since it was sampled is left alone.
            var before = Keyspace.Count;
            Keyspace.Find(key);
            if (Keyspace.Count < before)
            {
                deleted++;
                Modifications.MarkWritten(key, index);
            }
        }
        reply.WriteInteger(deleted);
    }

    /// <summary>Decodes the rest of a multi-part entry without applying it, so a bad entry changes nothing.</summary>
    private void Validate(WriteEntryReader reader)
    {
        var kind = reader.Header.Kind;
        if (kind == WriteEntryKind.Multi)
        {
            var watches = reader.ReadCount("watch count");
            for (var i = 0; i < watches; i++)
            {
                reader.ReadBytes("watched key");
                reader.ReadUInt64("watched-at index");
            }
        }
        if (kind == WriteEntryKind.Batch)
        {
            do
            {
                reader.SkipCommand();
            }
            while (!reader.AtEnd);
            return;
        }
        var count = reader.ReadCount(kind == WriteEntryKind.Multi ? "command count" : "key count");
        for (var i = 0; i < count; i++)
        {
            if (kind == WriteEntryKind.Multi)
            {
                reader.SkipCommand();
            }
            else
            {
                reader.ReadBytes("key");
            }
        }
        reader.EnsureAtEnd();
    }
}
