namespace Dst.Server.Info;

/// <summary>
/// Server-wide counters for INFO stats. Connections add their per-batch totals once per batch, so
/// the hot path pays one interlocked add per received batch, not per command.
/// </summary>
public sealed class ServerStats
{
    private long _connectionsReceived;
    private long _rejectedConnections;
    private long _commandsProcessed;
    private long _inputBytes;
    private long _outputBytes;
    private long _errorReplies;
    private long _expiredKeysProposed;

    public long ConnectionsReceived => Volatile.Read(ref _connectionsReceived);
    public long RejectedConnections => Volatile.Read(ref _rejectedConnections);
    public long CommandsProcessed => Volatile.Read(ref _commandsProcessed);
    public long InputBytes => Volatile.Read(ref _inputBytes);
    public long OutputBytes => Volatile.Read(ref _outputBytes);
    public long ErrorReplies => Volatile.Read(ref _errorReplies);
    public long ExpiredKeysProposed => Volatile.Read(ref _expiredKeysProposed);

    public void ConnectionReceived() => Interlocked.Increment(ref _connectionsReceived);

    public void ConnectionRejected() => Interlocked.Increment(ref _rejectedConnections);

    public void AddBatch(long commands, long inputBytes, long outputBytes, long errors)
    {
        Interlocked.Add(ref _commandsProcessed, commands);
        Interlocked.Add(ref _inputBytes, inputBytes);
        Interlocked.Add(ref _outputBytes, outputBytes);
        if (errors != 0)
        {
            Interlocked.Add(ref _errorReplies, errors);
        }
    }

    public void ExpiredKeys(int count) => Interlocked.Add(ref _expiredKeysProposed, count);

    /// <summary>CONFIG RESETSTAT: counters start again from zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _connectionsReceived, 0);
        Interlocked.Exchange(ref _rejectedConnections, 0);
        Interlocked.Exchange(ref _commandsProcessed, 0);
        Interlocked.Exchange(ref _inputBytes, 0);
        Interlocked.Exchange(ref _outputBytes, 0);
        Interlocked.Exchange(ref _errorReplies, 0);
        Interlocked.Exchange(ref _expiredKeysProposed, 0);
    }
}
