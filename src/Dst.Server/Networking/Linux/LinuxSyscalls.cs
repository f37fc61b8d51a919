using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Dst.Server.Networking.Linux;

/// <summary>
/// The few Linux calls the client event loops make directly: epoll, eventfd, and non-blocking
/// recv/send. .NET's sockets would add a speculative receive and a thread-pool hop to every request
/// (bench/README.md, "Client event loops"); these are exactly one system call each.
/// Sockets are passed as <see cref="SafeSocketHandle"/>, so a descriptor is never closed (and reused)
/// while a call on it is in flight.
/// </summary>
internal static unsafe partial class LinuxSyscalls
{
    public const int EAGAIN = 11;
    public const int EINTR = 4;

    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLET = 1u << 31;

    public const int MSG_PEEK = 0x02;
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_NOSIGNAL = 0x4000;

    private const int EPOLL_CTL_ADD = 1;
    private const int EPOLL_CTL_DEL = 2;
    private const int EPOLL_CLOEXEC = 0x80000;
    private const int EFD_CLOEXEC = 0x80000;
    private const int EFD_NONBLOCK = 0x800;

    /// <summary>
    /// struct epoll_event is packed on x86-64 (12 bytes, data at offset 4) and naturally aligned
    /// elsewhere (16 bytes, data at offset 8).
    /// </summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static int CreateEpoll() => Check(epoll_create1(EPOLL_CLOEXEC), "epoll_create1");

    public static int CreateEventFd() => Check(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");

    /// <summary>Watches <paramref name="fd"/> for <paramref name="events"/>; <paramref name="data"/> comes back with each event.</summary>
    public static void Add(int epoll, int fd, uint events, ulong data)
    {
        var buffer = stackalloc byte[16];
        WriteEvent(buffer, events, data);
        Check(epoll_ctl(epoll, EPOLL_CTL_ADD, fd, buffer), "epoll_ctl(ADD)");
    }

    public static void Add(int epoll, SafeSocketHandle socket, uint events, ulong data)
    {
        var added = false;
        socket.DangerousAddRef(ref added);
        try
        {
            Add(epoll, (int)socket.DangerousGetHandle(), events, data);
        }
        finally
        {
            socket.DangerousRelease();
        }
    }

    /// <summary>Stops watching a socket; false when it was already closed (and so already forgotten by epoll).</summary>
    public static bool Remove(int epoll, SafeSocketHandle socket)
    {
        var added = false;
        try
        {
            socket.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        try
        {
            var ignored = stackalloc byte[16];
            return epoll_ctl(epoll, EPOLL_CTL_DEL, (int)socket.DangerousGetHandle(), ignored) == 0;
        }
        finally
        {
            socket.DangerousRelease();
        }
    }

    /// <summary>Waits for events into <paramref name="events"/> (room for <paramref name="capacity"/>); returns how many, 0 when interrupted.</summary>
    public static int Wait(int epoll, byte* events, int capacity, int timeoutMs)
    {
        var count = epoll_wait(epoll, events, capacity, timeoutMs);
        if (count < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == EINTR ? 0 : throw new IOException($"epoll_wait failed: errno {errno}");
        }
        return count;
    }

    public static (uint Events, ulong Data) ReadEvent(byte* events, int index)
    {
        var item = events + (index * EpollEventSize);
        return (*(uint*)item, *(ulong*)(item + EpollDataOffset));
    }

    /// <summary>Adds one to an eventfd's counter, waking whoever polls it.</summary>
    public static void Signal(int eventFd)
    {
        ulong one = 1;
        _ = write(eventFd, &one, sizeof(ulong));
    }

    /// <summary>Resets an eventfd's counter after a wake-up.</summary>
    public static void Drain(int eventFd)
    {
        ulong value;
        _ = read(eventFd, &value, sizeof(ulong));
    }

    /// <summary>One recv; returns the byte count (0: the peer closed) or -1 with <paramref name="errno"/> set.</summary>
    public static int Receive(SafeSocketHandle socket, Span<byte> buffer, int flags, out int errno)
    {
        fixed (byte* data = buffer)
        {
            var received = recv(socket, data, buffer.Length, flags | MSG_DONTWAIT);
            errno = received < 0 ? Marshal.GetLastPInvokeError() : 0;
            return (int)received;
        }
    }

    /// <summary>One send; returns the byte count or -1 with <paramref name="errno"/> set.</summary>
    public static int Send(SafeSocketHandle socket, ReadOnlySpan<byte> buffer, out int errno)
    {
        fixed (byte* data = buffer)
        {
            var sent = send(socket, data, buffer.Length, MSG_DONTWAIT | MSG_NOSIGNAL);
            errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
            return (int)sent;
        }
    }

    public static void Close(int fd) => _ = close(fd);

    /// <summary>The error a failed recv or send means to the connection code, which handles <see cref="SocketException"/>.</summary>
    public static SocketException ToSocketException(int errno) => new((int)(errno switch
    {
        104 => SocketError.ConnectionReset,     // ECONNRESET
        32 => SocketError.Shutdown,             // EPIPE
        110 => SocketError.TimedOut,            // ETIMEDOUT
        9 => SocketError.OperationAborted,      // EBADF
        _ => SocketError.SocketError,
    }));

    private static void WriteEvent(byte* buffer, uint events, ulong data)
    {
        *(uint*)buffer = events;
        *(ulong*)(buffer + EpollDataOffset) = data;
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new IOException($"{call} failed: errno {Marshal.GetLastPInvokeError()}");

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epoll, int op, int fd, byte* eventBuffer);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epoll, byte* events, int maxEvents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int eventfd(uint initial, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, void* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, void* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(SafeSocketHandle socket, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint send(SafeSocketHandle socket, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
