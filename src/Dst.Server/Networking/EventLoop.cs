using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Dst.Server.Networking.Linux;

namespace Dst.Server.Networking;

/// <summary>
/// One thread that serves client sockets the way Redis does: it waits in epoll, and when a socket
/// becomes readable it receives and runs the connection's code right there (parse, execute, reply)
/// until the connection waits for something. Work finished elsewhere (a write the Raft loop applied)
/// is posted back here, so a whole round of replies costs one wake-up instead of one thread hop per
/// request. Sockets are edge-triggered (<see cref="LoopSocket"/>).
/// </summary>
public sealed unsafe class EventLoop : IDisposable
{
    private const int MaxEventsPerWait = 256;

    /// <summary>
    /// How long <see cref="WaitForEvents"/> polls before sleeping, and the average wait under which it
    /// does (20 us). Measured against 0, 20 and 50 (bench/README.md, session 9): GET -P 16 went from
    /// 0.98 to 1.09 of redis-server's rate and -P 1 from 1.01 to 1.09; a 3-node cluster showed no loss.
    /// </summary>
    private static readonly long PollWindowTicks = Stopwatch.Frequency / 50_000;

    /// <summary>The epoll data of the wake-up eventfd; sockets carry a GCHandle, which is never 0.</summary>
    private const ulong WakeToken = 0;

    [ThreadStatic]
    private static EventLoop? s_current;

    private readonly ConcurrentQueue<PostedWork> _posted = new();
    private readonly Action<Exception> _onError;
    private readonly Func<bool>? _beforeWait;
    private readonly Thread _thread;
    private readonly int _epoll;
    private readonly int _wakeFd;
    private volatile bool _stopping;
    private IdlePolling _idlePolling = new(PollWindowTicks);

    /// <summary>1 while the loop is in (or about to enter) epoll_wait with nothing posted: posting must wake it.</summary>
    private int _polling;

    /// <summary>1 from the wake-up written until the loop has read it: later posts need not write again.</summary>
    private int _wakePending;

    /// <param name="beforeWait">
    /// Runs on the loop thread before it waits for events (work deferred to then); true when it posted
    /// work here, which runs at once, after which it is called again.
    /// </param>
    public EventLoop(string name, Action<Exception> onError, Func<bool>? beforeWait = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("dst-server's client event loop needs Linux (epoll)");
        }
        _onError = onError;
        _beforeWait = beforeWait;
        _epoll = LinuxSyscalls.CreateEpoll();
        _wakeFd = LinuxSyscalls.CreateEventFd();
        LinuxSyscalls.Add(_epoll, _wakeFd, LinuxSyscalls.EPOLLIN | LinuxSyscalls.EPOLLET, WakeToken);
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>The loop running on this thread, or null on any other thread.</summary>
    public static EventLoop? Current => s_current;

    internal int Epoll => _epoll;

    /// <summary>
    /// Runs <paramref name="work"/> on the loop thread soon. Safe from any thread; the loop is woken
    /// only if it sleeps, and only once however many posts arrive before it wakes.
    /// </summary>
    public void Post(Action<object?> work, object? state)
    {
        _posted.Enqueue(new PostedWork(work, state));
        if (Volatile.Read(ref _polling) == 1 && Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            LinuxSyscalls.Signal(_wakeFd);
        }
    }

    /// <summary>Resumes <paramref name="continuation"/> on <paramref name="loop"/>, or on the thread pool without one.</summary>
    public static void Resume(EventLoop? loop, Action<object?> continuation, object? state)
    {
        if (loop is not null)
        {
            loop.Post(continuation, state);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: false);
        }
    }

    private void Run()
    {
        s_current = this;
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEventsPerWait * LinuxSyscalls.EpollEventSize));
        try
        {
            while (!_stopping)
            {
                RunPosted();
                while (_beforeWait?.Invoke() == true)
                {
                    RunPosted();
                }
                Volatile.Write(ref _polling, 1);
                Interlocked.MemoryBarrier();
                var count = _posted.IsEmpty ? WaitForEvents(events) : LinuxSyscalls.Wait(_epoll, events, MaxEventsPerWait, 0);
                Volatile.Write(ref _polling, 0);
                for (var i = 0; i < count; i++)
                {
                    var (ready, data) = LinuxSyscalls.ReadEvent(events, i);
                    Dispatch(ready, data);
                }
            }
        }
        finally
        {
            NativeMemory.Free(events);
        }
    }

    /// <summary>
    /// Waits for events, first polling without sleeping while events have recently come soon after
    /// the loop ran out of work. A sleeping loop must be woken by the kernel when a client's bytes
    /// arrive, and that wake-up is charged to the client's send (in a VM, an interrupt to another
    /// CPU): redis-benchmark -P 16 spent 15% more system time per GET against dst, which slept more
    /// often than redis-server because it finished each round sooner. Polling pays only when the
    /// next event is near: <see cref="IdlePolling"/> polls for at most a window, only while the
    /// loop's recent waits averaged within it, so an idle loop, or one waiting on peers that share
    /// its cores, sleeps at once.
    /// </summary>
    private int WaitForEvents(byte* events)
    {
        var idleSince = Stopwatch.GetTimestamp();
        var count = 0;
        if (_idlePolling.ShouldPoll)
        {
            while ((count = LinuxSyscalls.Wait(_epoll, events, MaxEventsPerWait, 0)) == 0
                && Stopwatch.GetTimestamp() - idleSince < _idlePolling.WindowTicks)
            {
            }
        }
        if (count == 0)
        {
            count = LinuxSyscalls.Wait(_epoll, events, MaxEventsPerWait, -1);
        }
        _idlePolling.Record(Stopwatch.GetTimestamp() - idleSince);
        return count;
    }

    private void Dispatch(uint ready, ulong data)
    {
        if (data == WakeToken)
        {
            LinuxSyscalls.Drain(_wakeFd);
            Volatile.Write(ref _wakePending, 0);
            return;
        }
        try
        {
            // The handle is freed only by work posted after the socket left epoll, which runs after this batch.
            var socket = (LoopSocket)GCHandle.FromIntPtr((nint)data).Target!;
            socket.OnEvents(ready);
        }
        catch (Exception e)
        {
            _onError(e);
        }
    }

    private void RunPosted()
    {
        while (_posted.TryDequeue(out var work))
        {
            try
            {
                work.Callback(work.State);
            }
            catch (Exception e)
            {
                _onError(e);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        Post(static _ => { }, null);
        LinuxSyscalls.Signal(_wakeFd);
        if (Thread.CurrentThread == _thread)
        {
            return; // disposed by work it runs: the thread stops after it, leaving the descriptors to the process's end
        }
        _thread.Join();
        LinuxSyscalls.Close(_wakeFd);
        LinuxSyscalls.Close(_epoll);
    }

    private readonly record struct PostedWork(Action<object?> Callback, object? State);
}
