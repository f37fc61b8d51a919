using Dst.Commands.Snapshots;
using Dst.Commands.Storage;

namespace Dst.Commands;

/// <summary>
/// The in-memory database (DB 0). Keys live in a compact open-addressing table; strings are packed
/// with their key into one array, other types are one object each. Expiry is an absolute Unix time
/// in milliseconds stored with the key, and only keys that have one pay for it.
/// <para>
/// Time comes from the command being run (<see cref="NowMs"/>), never from the clock. A key is
/// expired once now &gt; its expiry (Redis's <c>keyIsExpired</c>). On the read path an expired key
/// is merely invisible; on the apply path <see cref="Find"/> deletes it, which is deterministic
/// because "now" is the log entry's timestamp.
/// </para>
/// <para>
/// Slot numbers returned by <see cref="Find"/> stay valid until the next insertion or deletion.
/// </para>
/// <para>
/// Snapshots are captured (<see cref="Capture"/>) in a short pause and serialized while writes go
/// on. While a capture is open nothing it references is changed in place: strings get a new array
/// instead of an in-place edit, and stored objects are copied before their first change
/// (<see cref="ObjectForWrite"/>) or before their key or expiry changes.
/// </para>
/// </summary>
public sealed class Keyspace
{
    private KeyTable _table = new();
    // RANDOMKEY's sampler: seeded, so the state machine draws no unseeded randomness.
    private readonly Random _sampler = new(0x5EED);
    private int _expirySweepSlot;
    // Captures not yet disposed (decremented from the thread that serialized them), and the newest one's epoch.
    private int _openCaptures;
    private long _captureEpoch;
    // The last capture's item array, cleared, reused by the next capture of the same table size: a
    // fresh one (8 bytes a slot) per capture comes from the large object heap and brings on full GCs.
    private object?[]? _spareCaptureItems;

    public int Count => _table.Count;

    /// <summary>Keys that carry an expiry (INFO keyspace's <c>expires</c>).</summary>
    public int VolatileCount { get; private set; }

    /// <summary>"Now" of the command being run: the entry timestamp when applying, the reader's clock when reading.</summary>
    public long NowMs { get; private set; }

    /// <summary>True while applying a log entry: lookups delete the expired keys they meet.</summary>
    public bool DeletesExpired { get; private set; }

    /// <summary>True once the command being run has deleted an expired key it met: a change, whatever its reply.</summary>
    public bool DeletedExpiredKey { get; private set; }

    internal void BeginCommand(long nowMs, bool applying)
    {
        NowMs = nowMs;
        DeletesExpired = applying;
        DeletedExpiredKey = false;
    }

    /// <summary>Sets "now" for direct use of the keyspace outside the state machine (tests, tools): reads, no lazy deletion.</summary>
    internal void BeginCommandForTests(long nowMs) => BeginCommand(nowMs, applying: false);

    /// <summary>Slots in the table; resizes are observable through it.</summary>
    internal int TableCapacityForTests => _table.Capacity;

    public bool IsExpired(long expireAt) => expireAt >= 0 && NowMs > expireAt;

    /// <summary>The slot of a live key, or -1 if it is missing or expired.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        var slot = _table.Find(key, KeyHash.Compute(key));
        if (slot < 0 || !IsExpired(ExpiryAt(slot)))
        {
            return slot;
        }
        if (DeletesExpired)
        {
            DeleteAt(slot);
            DeletedExpiredKey = true;
        }
        return -1;
    }

    public bool Exists(ReadOnlySpan<byte> key) => Find(key) >= 0;

    public ValueKind KindAt(int slot) => _table.ItemAt(slot) is StoredObject stored ? stored.Kind : ValueKind.String;

    public ReadOnlySpan<byte> KeyAt(int slot) => KeyTable.KeyOf(_table.ItemAt(slot));

    /// <summary>Absolute expiry in Unix milliseconds, or -1.</summary>
    public long ExpiryAt(int slot) => _table.ItemAt(slot) switch
    {
        byte[] packed => PackedString.Expiry(packed),
        var item => ((StoredObject)item).ExpireAt,
    };

    /// <summary>The string in <paramref name="slot"/>; the caller has checked <see cref="KindAt"/>.</summary>
    public StringValue StringAt(int slot)
    {
        var packed = (byte[])_table.ItemAt(slot);
        return PackedString.IsInteger(packed)
            ? new StringValue(PackedString.IntegerValue(packed))
            : new StringValue(PackedString.Value(packed));
    }

    /// <summary>The object in <paramref name="slot"/>, to read; writes go through <see cref="ObjectForWrite"/>.</summary>
    public StoredObject ObjectAt(int slot) => (StoredObject)_table.ItemAt(slot);

    /// <summary>The live value of <paramref name="key"/> when it is a <typeparamref name="T"/>, to read; null when missing or of another type.</summary>
    public T? FindObject<T>(ReadOnlySpan<byte> key)
        where T : StoredObject
    {
        var slot = Find(key);
        return slot >= 0 ? _table.ItemAt(slot) as T : null;
    }

    /// <summary>
    /// The object in <paramref name="slot"/>, to change in place. While a snapshot capture that may
    /// reference it is open, it is deep-copied first and the copy takes its place (copy-on-write), so
    /// the capture keeps reading the value as it was.
    /// </summary>
    public StoredObject ObjectForWrite(int slot)
    {
        var stored = (StoredObject)_table.ItemAt(slot);
        if (!IsCaptured(stored))
        {
            return stored;
        }
        var copy = stored.CloneWithKey(stored.Key);
        _table.ReplaceAt(slot, copy);
        return copy;
    }

    /// <summary>Sets a string, replacing any value of any type. Canonical integers get the "int" encoding.</summary>
    public void SetString(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expireAt = -1)
    {
        var integer = 0L;
        var isInteger = value.Length <= StringValue.MaxIntegerLength && Integers.TryParse(value, out integer);
        var hash = KeyHash.Compute(key);
        var slot = _table.Find(key, hash);
        // Overwriting a string with one of the same shape (the usual SET) reuses its array: no allocation
        // (unless a snapshot capture may be reading that array).
        if (slot >= 0 && !Capturing && _table.ItemAt(slot) is byte[] packed && PackedString.Expiry(packed) >= 0 == expireAt >= 0
            && PackedString.IsInteger(packed) == isInteger && (isInteger || PackedString.Value(packed).Length == value.Length))
        {
            if (isInteger)
            {
                PackedString.SetIntegerValue(packed, integer);
            }
            else
            {
                value.CopyTo(PackedString.Value(packed));
            }
            _ = PackedString.WithExpiry(packed, expireAt); // in place: both have an expiry field, or neither
            return;
        }
        var created = isInteger ? PackedString.CreateInteger(key, integer, expireAt) : PackedString.Create(key, value, expireAt);
        Store(key, created, expireAt);
    }

    /// <summary>Sets a string in the "int" encoding (INCR on a missing key).</summary>
    public void SetInteger(ReadOnlySpan<byte> key, long value, long expireAt = -1) =>
        Store(key, PackedString.CreateInteger(key, value, expireAt), expireAt);

    /// <summary>Updates the integer in a string slot, keeping its expiry; in place for the "int" encoding (INCR).</summary>
    public void SetIntegerAt(int slot, long value)
    {
        var packed = (byte[])_table.ItemAt(slot);
        if (PackedString.IsInteger(packed) && !Capturing)
        {
            PackedString.SetIntegerValue(packed, value);
            return;
        }
        _table.ReplaceAt(slot, PackedString.CreateInteger(PackedString.Key(packed), value, PackedString.Expiry(packed)));
    }

    /// <summary>
    /// Stores a raw string of <paramref name="length"/> bytes and returns its value bytes for the caller
    /// to fill right away (APPEND and SETRANGE build their result in place, one allocation).
    /// </summary>
    public Span<byte> SetStringUninitialized(ReadOnlySpan<byte> key, int length, long expireAt)
    {
        var packed = PackedString.CreateUninitialized(key, length, expireAt);
        Store(key, packed, expireAt);
        return PackedString.Value(packed);
    }

    /// <summary>Stores a non-string value under its own key, replacing anything there.</summary>
    public void SetObject(StoredObject value) => Store(value.Key, value, value.ExpireAt);

    /// <summary>Deletes a live key; an expired one counts as missing.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        var slot = Find(key);
        if (slot < 0)
        {
            return false;
        }
        DeleteAt(slot);
        return true;
    }

    public void DeleteAt(int slot)
    {
        if (ExpiryAt(slot) >= 0)
        {
            VolatileCount--;
        }
        _table.RemoveAt(slot);
    }

    /// <summary>Sets (or with -1 removes) the expiry of the key in <paramref name="slot"/>.</summary>
    public void SetExpiryAt(int slot, long expireAt)
    {
        var item = _table.ItemAt(slot);
        var had = ExpiryAt(slot) >= 0;
        if (item is byte[] packed)
        {
            // WithExpiry edits in place when the expiry field exists: a capture may be reading this array.
            _table.ReplaceAt(slot, PackedString.WithExpiry(Capturing ? (byte[])packed.Clone() : packed, expireAt));
        }
        else
        {
            var stored = OwnHeader((StoredObject)item);
            stored.ExpireAt = expireAt;
            _table.ReplaceAt(slot, stored);
        }
        VolatileCount += (expireAt >= 0 ? 1 : 0) - (had ? 1 : 0);
    }

    /// <summary>Copies the value in <paramref name="slot"/> to <paramref name="destination"/> with its expiry (COPY).</summary>
    public void CopyTo(int slot, ReadOnlySpan<byte> destination)
    {
        var item = _table.ItemAt(slot);
        var expireAt = ExpiryAt(slot);
        if (item is byte[] packed)
        {
            var copy = PackedString.IsInteger(packed)
                ? PackedString.CreateInteger(destination, PackedString.IntegerValue(packed), expireAt)
                : PackedString.Create(destination, PackedString.Value(packed), expireAt);
            Store(destination, copy, expireAt);
        }
        else
        {
            SetObject(((StoredObject)item).CloneWithKey(destination.ToArray()));
        }
    }

    /// <summary>Moves the value in <paramref name="slot"/> to <paramref name="destination"/>, keeping its expiry (RENAME).</summary>
    public void MoveTo(int slot, ReadOnlySpan<byte> destination)
    {
        var item = _table.ItemAt(slot);
        var destinationKey = destination.ToArray();
        DeleteAt(slot);
        if (item is StoredObject stored)
        {
            // Collections move by reference: only the key changes.
            stored = OwnHeader(stored);
            stored.Key = destinationKey;
            SetObject(stored);
            return;
        }
        var packed = (byte[])item;
        var expireAt = PackedString.Expiry(packed);
        var moved = PackedString.IsInteger(packed)
            ? PackedString.CreateInteger(destinationKey, PackedString.IntegerValue(packed), expireAt)
            : PackedString.Create(destinationKey, PackedString.Value(packed), expireAt);
        Store(destinationKey, moved, expireAt);
    }

    public void Clear()
    {
        _table.Clear();
        VolatileCount = 0;
        _expirySweepSlot = 0;
    }

    /// <summary>A random live key's slot, or -1 when there is none (RANDOMKEY). Gives up after many expired draws.</summary>
    public int RandomSlot()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var slot = _table.SampleSlot(_sampler);
            if (slot < 0 || !IsExpired(ExpiryAt(slot)))
            {
                return slot;
            }
        }
        return -1;
    }

    /// <summary>
    /// One SCAN step: visits home buckets from <paramref name="cursor"/> until <paramref name="count"/> keys
    /// were gathered (or 10 x count buckets were looked at, as Redis bounds it) and returns the next cursor
    /// (0 = done). Expired keys are skipped; <paramref name="into"/> receives the live items.
    /// </summary>
    public ulong Scan(ulong cursor, int count, List<object> into)
    {
        var budget = Math.Max(1L, count * 10L);
        var state = new ScanState(into, this);
        do
        {
            _table.ScanBucket(cursor, ref state, static (ref state, item) =>
            {
                if (!state.Keyspace.IsExpired(ExpiryOf(item)))
                {
                    state.Into.Add(item);
                }
            });
            cursor = _table.NextCursor(cursor);
        }
        while (cursor != 0 && --budget > 0 && into.Count < count);
        return cursor;
    }

    /// <summary>Every live item in table order (KEYS).</summary>
    public IEnumerable<object> Items()
    {
        for (var slot = 0; slot < _table.Capacity; slot++)
        {
            if (_table.IsOccupied(slot) && !IsExpired(ExpiryAt(slot)))
            {
                yield return _table.ItemAt(slot);
            }
        }
    }

    public static ReadOnlySpan<byte> KeyOf(object item) => KeyTable.KeyOf(item);

    public static ValueKind KindOf(object item) => item is StoredObject stored ? stored.Kind : ValueKind.String;

    public static long ExpiryOf(object item) => item is byte[] packed ? PackedString.Expiry(packed) : ((StoredObject)item).ExpireAt;

    /// <summary>
    /// Active expiry: sweeps the table from where the last call stopped, looking at a bounded number of
    /// slots, and copies out keys expired at <paramref name="nowMs"/>. Deleting them is the caller's
    /// business (an expire-if-due entry), so this only reads.
    /// </summary>
    public int CollectExpiredKeys(long nowMs, int max, List<byte[]> into)
    {
        if (VolatileCount == 0 || max <= 0)
        {
            return 0;
        }
        var found = 0;
        var budget = Math.Min(_table.Capacity, Math.Max(1024, max * 64));
        for (var examined = 0; examined < budget && found < max; examined++)
        {
            var slot = _expirySweepSlot;
            _expirySweepSlot = (_expirySweepSlot + 1) % _table.Capacity;
            if (!_table.IsOccupied(slot))
            {
                continue;
            }
            var expireAt = ExpiryAt(slot);
            if (expireAt >= 0 && nowMs > expireAt)
            {
                into.Add(KeyAt(slot).ToArray());
                found++;
            }
        }
        return found;
    }

    /// <summary>
    /// Captures the keyspace for a snapshot: copies the key table's item array (the pause is that one
    /// copy) and opens copy-on-write until the capture is disposed. The caller holds the state
    /// machine's lock; serializing and disposing may happen on any thread.
    /// </summary>
    internal KeyspaceCapture Capture()
    {
        var epoch = CaptureEpoch.Advance();
        _captureEpoch = epoch;
        Interlocked.Increment(ref _openCaptures);
        var items = Interlocked.Exchange(ref _spareCaptureItems, null);
        if (items?.Length != _table.Capacity)
        {
            items = new object?[_table.Capacity];
        }
        _table.CopyItemsTo(items);
        return new KeyspaceCapture(this, items, _table.Count, epoch);
    }

    /// <summary>A capture is written (or given up): copy-on-write may stop, and its array is kept for the next one.</summary>
    internal void EndCapture(object?[] items)
    {
        Interlocked.Decrement(ref _openCaptures);
        Array.Clear(items);
        Volatile.Write(ref _spareCaptureItems, items);
    }

    /// <summary>True while a snapshot capture is open: in-place edits of strings and objects are off.</summary>
    internal bool Capturing => Volatile.Read(ref _openCaptures) > 0;

    private bool IsCaptured(StoredObject stored) => Capturing && stored.Generation < _captureEpoch;

    /// <summary>The object itself, or a header copy of it when an open capture may reference it (a new key or expiry is coming).</summary>
    private StoredObject OwnHeader(StoredObject stored) => IsCaptured(stored) ? stored.CopyHeader() : stored;

    /// <summary>Replaces the whole content with another keyspace's (a loaded snapshot).</summary>
    internal void ReplaceWith(Keyspace loaded)
    {
        _table = loaded._table;
        VolatileCount = loaded.VolatileCount;
        _expirySweepSlot = 0;
    }

    /// <summary>Presizes an empty keyspace for a known number of keys (snapshot loading).</summary>
    internal void Reserve(int count) => _table = new KeyTable(count);

    /// <summary>Adds an item whose key is known to be absent (snapshot loading).</summary>
    internal void AddLoaded(object item)
    {
        var key = KeyOf(item);
        var hash = KeyHash.Compute(key);
        if (_table.Find(key, hash) >= 0)
        {
            throw new InvalidDataException("snapshot holds a key twice");
        }
        _table.Insert(hash, item);
        if (ExpiryOf(item) >= 0)
        {
            VolatileCount++;
        }
    }

    private void Store(ReadOnlySpan<byte> key, object item, long expireAt)
    {
        var hash = KeyHash.Compute(key);
        var slot = _table.Find(key, hash);
        if (slot >= 0)
        {
            if (ExpiryAt(slot) >= 0)
            {
                VolatileCount--;
            }
            _table.ReplaceAt(slot, item);
        }
        else
        {
            _table.Insert(hash, item);
        }
        if (expireAt >= 0)
        {
            VolatileCount++;
        }
    }

    private struct ScanState(List<object> into, Keyspace keyspace)
    {
        public readonly List<object> Into = into;
        public readonly Keyspace Keyspace = keyspace;
    }
}
