using Dst.Raft;

namespace Dst.Storage.Tests;

public class HardStateFileTests
{
    private static string StateFile(TempDirectory dir) => dir.Combine(HardStateFile.FileName);

    [Fact]
    public void A_new_directory_has_the_empty_hard_state()
    {
        using var dir = new TempDirectory();
        using var file = HardStateFile.Open(dir.Path);
        Assert.Equal(HardState.Empty, file.Load());
    }

    [Fact]
    public void Saves_survive_reopening_and_the_latest_wins()
    {
        using var dir = new TempDirectory();
        using (var file = HardStateFile.Open(dir.Path))
        {
            for (ulong term = 1; term <= 5; term++)
            {
                file.Save(new HardState(term, term % 3, term * 10));
            }
        }
        using var reopened = HardStateFile.Open(dir.Path);
        Assert.Equal(new HardState(5, 2, 50), reopened.Load());
    }

    [Fact]
    public void A_torn_save_leaves_the_previous_state()
    {
        using var dir = new TempDirectory();
        using (var file = HardStateFile.Open(dir.Path))
        {
            file.Save(new HardState(3, 1, 7)); // slot 1
            file.Save(new HardState(4, 2, 9)); // slot 0
        }
        // Tear the newest save: slot 0 (offset 0) loses its tail as if power failed mid-write.
        LogFiles.FlipBit(StateFile(dir), 30);
        using (var reopened = HardStateFile.Open(dir.Path))
        {
            Assert.Equal(new HardState(3, 1, 7), reopened.Load());
            reopened.Save(new HardState(5, 3, 11)); // overwrites the torn slot, not the good one
        }
        using var again = HardStateFile.Open(dir.Path);
        Assert.Equal(new HardState(5, 3, 11), again.Load());
    }

    [Fact]
    public void A_torn_temporary_file_from_a_crash_during_creation_is_ignored()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(StateFile(dir) + ".tmp", [0x44, 0x4C, 0x53]);
        using (var file = HardStateFile.Open(dir.Path))
        {
            Assert.Equal(HardState.Empty, file.Load());
            file.Save(new HardState(1, 1, 0));
        }
        using var reopened = HardStateFile.Open(dir.Path);
        Assert.Equal(new HardState(1, 1, 0), reopened.Load());
    }

    [Fact]
    public void Both_slots_damaged_refuses_to_open_rather_than_forget_the_vote()
    {
        using var dir = new TempDirectory();
        using (var file = HardStateFile.Open(dir.Path))
        {
            file.Save(new HardState(3, 1, 7));
        }
        LogFiles.FlipBit(StateFile(dir), 2); // slot 0: the initial empty record
        LogFiles.FlipBit(StateFile(dir), 4096 + 20); // slot 1: the saved state
        var error = Assert.Throws<StorageCorruptedException>(() => HardStateFile.Open(dir.Path));
        Assert.Contains("neither slot", error.Message);
    }
}
