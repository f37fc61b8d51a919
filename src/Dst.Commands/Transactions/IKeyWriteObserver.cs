namespace Dst.Commands.Transactions;

/// <summary>
/// Told, on the apply path and under the state machine's lock, of every key an applied entry
/// wrote: the wake-up signal for clients blocked on keys (BLPOP, ...). It must be quick and must
/// not re-enter the state machine or propose synchronously.
/// </summary>
public interface IKeyWriteObserver
{
    void KeyWritten(ReadOnlySpan<byte> key, ulong index);

    /// <summary>Every key may have changed (FLUSHALL, a loaded snapshot).</summary>
    void EverythingWritten(ulong index);
}
