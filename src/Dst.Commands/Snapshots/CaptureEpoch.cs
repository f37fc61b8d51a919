namespace Dst.Commands.Snapshots;

/// <summary>
/// A process-wide counter of snapshot captures. Every <see cref="Storage.StoredObject"/> records its
/// value when built, and a capture advances it, so "built before the capture" (possibly referenced
/// by it) is one comparison, whichever keyspace the object lives in.
/// </summary>
internal static class CaptureEpoch
{
    private static long _current;

    public static long Current => Volatile.Read(ref _current);

    /// <summary>Starts a new epoch: objects built from now on are newer than every capture taken so far.</summary>
    public static long Advance() => Interlocked.Increment(ref _current);
}
