using System.Buffers.Binary;
using Dst.Raft;

namespace Dst.Storage;

/// <summary>
/// The Raft hard state (term, vote, commit) on disk. <see cref="Save"/> is atomic and durable: it
/// returns only once the new state survives a crash, and a crash during it leaves the previous
/// state readable (see <see cref="DualSlotFile"/>). Losing the vote would let a node vote twice in a
/// term, so an unreadable file is an error, never an empty state. Not thread-safe: one owner.
/// </summary>
public sealed class HardStateFile : IDisposable
{
    public const string FileName = "hardstate";
    private const int EncodedSize = 3 * sizeof(ulong);

    private readonly DualSlotFile _file;

    private HardStateFile(DualSlotFile file, HardState current)
    {
        _file = file;
        Current = current;
    }

    /// <summary>The last saved hard state (<see cref="HardState.Empty"/> for a new directory).</summary>
    public HardState Current { get; private set; }

    public static HardStateFile Open(string directory)
    {
        Durable.CreateDirectory(directory);
        var file = DualSlotFile.Open(Path.Combine(directory, FileName));
        try
        {
            return new HardStateFile(file, Decode(file));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Returns the last saved state (what <see cref="Current"/> holds).</summary>
    public HardState Load() => Current;

    public void Save(HardState state)
    {
        if (state == Current)
        {
            return;
        }
        Span<byte> payload = stackalloc byte[EncodedSize];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, state.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[8..], state.Vote);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[16..], state.Commit);
        _file.Save(payload);
        Current = state;
    }

    public void Dispose() => _file.Dispose();

    private static HardState Decode(DualSlotFile file)
    {
        var payload = file.Load();
        if (payload.Length == 0)
        {
            return HardState.Empty;
        }
        if (payload.Length != EncodedSize)
        {
            throw new StorageCorruptedException(file.FilePath, $"hard state record has {payload.Length} bytes, expected {EncodedSize}");
        }
        return new HardState(
            BinaryPrimitives.ReadUInt64LittleEndian(payload),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[16..]));
    }
}
