using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Dst.Server.Networking;

/// <summary>
/// The async method builder of a connection's per-batch methods (<c>[AsyncMethodBuilder(typeof(PooledTaskBuilder))]</c>
/// on a <see cref="ValueTask"/> method). Like the framework's <see cref="PoolingAsyncValueTaskMethodBuilder"/>,
/// a suspended call lives in a pooled box rather than a new one; but that builder keeps one box per thread
/// and one per core, while a loop thread has dozens of connections waiting for their writes at once, so
/// nearly every suspension allocated (two boxes per pipelined batch, the largest allocation of a write
/// after its value). Here each thread keeps up to <see cref="PooledTaskBox{TStateMachine}.MaxPooled"/>
/// boxes per method. Continuations run without restoring the ExecutionContext, which these methods do not use.
/// </summary>
public struct PooledTaskBuilder
{
    private PooledTaskBox? _box;
    private Exception? _exception;

    public static PooledTaskBuilder Create() => default;

    /// <summary>Read by the method's stub once the method first suspends or completes.</summary>
    public ValueTask Task =>
        _box is { } box ? new ValueTask(box, box.Version)
        : _exception is { } exception ? ValueTask.FromException(exception)
        : default;

    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine =>
        new AsyncValueTaskMethodBuilder().Start(ref stateMachine); // restores the caller's contexts afterwards

    public void SetStateMachine(IAsyncStateMachine stateMachine)
    {
        // Boxes are made by this builder, never by the runtime.
    }

    public void SetResult() => _box?.SetResult();

    public void SetException(Exception exception)
    {
        if (_box is null)
        {
            _exception = exception;
        }
        else
        {
            _box.SetException(exception);
        }
    }

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    /// <summary>
    /// The box holding the suspended call. On the first suspension the state machine, which holds this
    /// builder, is copied into a rented box after the builder has noted the box: the copy and the
    /// stub's view of the builder then both name it.
    /// </summary>
    private PooledTaskBox BoxFor<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        if (_box is { } existing)
        {
            return existing;
        }
        var box = PooledTaskBox<TStateMachine>.Rent();
        _box = box;
        box.StateMachine = stateMachine;
        return box;
    }
}

/// <summary>A suspended call of a <see cref="PooledTaskBuilder"/> method, and the source of its <see cref="ValueTask"/>.</summary>
public abstract class PooledTaskBox : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _completion = new() { RunContinuationsAsynchronously = false };

    internal short Version => _completion.Version;

    internal abstract Action MoveNextAction { get; }

    internal void SetResult() => _completion.SetResult(true);

    internal void SetException(Exception exception) => _completion.SetException(exception);

    /// <summary>Consumes the result; the box then goes back to its pool for the next suspended call.</summary>
    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _completion.GetResult(token);
        }
        finally
        {
            _completion.Reset();
            Recycle();
        }
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    private protected abstract void Recycle();
}

/// <summary>The box of one async method (one state machine type), pooled per thread.</summary>
internal sealed class PooledTaskBox<TStateMachine> : PooledTaskBox
    where TStateMachine : IAsyncStateMachine
{
    internal const int MaxPooled = 256;

    [ThreadStatic]
    private static Stack<PooledTaskBox<TStateMachine>>? t_pool;

    public PooledTaskBox() => MoveNextAction = () => StateMachine.MoveNext();

    public TStateMachine StateMachine = default!;

    internal override Action MoveNextAction { get; }

    public static PooledTaskBox<TStateMachine> Rent() => t_pool is { Count: > 0 } pool ? pool.Pop() : new PooledTaskBox<TStateMachine>();

    private protected override void Recycle()
    {
        StateMachine = default!;
        var pool = t_pool ??= new Stack<PooledTaskBox<TStateMachine>>(MaxPooled);
        if (pool.Count < MaxPooled)
        {
            pool.Push(this);
        }
    }
}
