using System.Collections.Concurrent;

namespace Dst.Server.Networking;

/// <summary>The open client connections: ids, the maxclients count, and lookups for CLIENT LIST and KILL.</summary>
public sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<long, ClientConnection> _clients = new();
    private long _lastId;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Registers the connection unless that would exceed <paramref name="maxClients"/>.</summary>
    public bool TryAdd(ClientConnection client, int maxClients)
    {
        if (Interlocked.Increment(ref _count) > maxClients)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }
        _clients[client.Id] = client;
        return true;
    }

    public void Remove(ClientConnection client)
    {
        if (_clients.TryRemove(client.Id, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>A snapshot of the open connections, ordered by id as CLIENT LIST shows them.</summary>
    public List<ClientConnection> Snapshot() => [.. _clients.Values.OrderBy(c => c.Id)];
}
