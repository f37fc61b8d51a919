using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dst.Storage;

/// <summary>
/// The two flushes durability rests on: a file's data, and a directory's entries (so a created,
/// renamed or deleted file survives a power loss, not just its contents).
/// </summary>
public static partial class Durable
{
    /// <summary>
    /// Forces the file's written data (and the metadata needed to read it back, such as its size) to
    /// stable storage. On Linux this is <c>fdatasync</c>, which skips timestamps and is cheaper than
    /// <c>fsync</c>; elsewhere it is <see cref="RandomAccess.FlushToDisk"/>.
    /// </summary>
    public static void FlushFile(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux())
        {
            OnDescriptor(handle, "fdatasync", static fd => Native.fdatasync(fd));
            return;
        }
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>
    /// Asks the OS to start writing the file's dirty pages in [<paramref name="offset"/>,
    /// <paramref name="offset"/> + <paramref name="count"/>) to disk, without waiting for them: a later
    /// fsync then finds less to flush. Guarantees nothing by itself (the fsync still decides durability,
    /// and reports write errors). Linux <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>; elsewhere nothing.
    /// </summary>
    public static void StartWriteback(SafeFileHandle handle, long offset, long count)
    {
        if (OperatingSystem.IsLinux())
        {
            OnDescriptor(handle, "sync_file_range", fd => Native.sync_file_range(fd, offset, count, Native.SYNC_FILE_RANGE_WRITE));
        }
    }

    /// <summary>Runs a libc call on the handle's descriptor, kept open meanwhile; a non-zero result throws with errno.</summary>
    private static void OnDescriptor(SafeFileHandle handle, string call, Func<int, int> syscall)
    {
        var success = false;
        handle.DangerousAddRef(ref success);
        try
        {
            if (syscall((int)handle.DangerousGetHandle()) != 0)
            {
                throw new IOException($"{call} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            if (success)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Makes the directory's entries durable. Needed after creating, renaming or deleting a file in it.
    /// A no-op on Windows, where directories cannot be opened for flushing (NTFS journals metadata).
    /// </summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var fd = Native.open(directory, Native.O_RDONLY | Native.O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to flush it: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (Native.fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Native.close(fd);
        }
    }

    /// <summary>Creates <paramref name="directory"/> (and parents) and makes its entry durable in its parent.</summary>
    public static void CreateDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (Directory.Exists(full))
        {
            return;
        }
        Directory.CreateDirectory(full);
        var parent = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar));
        if (parent is not null)
        {
            FlushDirectory(parent);
        }
    }

    /// <summary>Deletes a file and flushes its directory.</summary>
    public static void DeleteFile(string path)
    {
        File.Delete(path);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    private static partial class Native
    {
        public const int O_RDONLY = 0;
        public static readonly int O_CLOEXEC = OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int open(string path, int flags);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int fsync(int fd);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int fdatasync(int fd);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int close(int fd);

        public const uint SYNC_FILE_RANGE_WRITE = 2;

        [LibraryImport("libc", SetLastError = true)]
        public static partial int sync_file_range(int fd, long offset, long count, uint flags);
    }
}
