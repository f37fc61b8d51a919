using System.Net.Sockets;
using Dst.Client;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Durability;

/// <summary>
/// One connection writing pipelined batches of SET and INCR as fast as the server acknowledges
/// them, recording every acknowledgement in its ledger, until the server dies under it.
/// </summary>
public sealed class WriteLoad(WorkerLedger ledger, Random random, Action acknowledged)
{
    private const int MaxBatch = 64;

    /// <summary>Runs until the connection breaks (the kill); a wrong reply is a test failure.</summary>
    public async Task RunAsync(int port)
    {
        try
        {
            await using var connection = await RespConnection.ConnectAsync("127.0.0.1", port);
            var batch = new List<(int Slot, long Sequence)>(MaxBatch);
            while (true)
            {
                batch.Clear();
                var size = random.Next(1, MaxBatch + 1);
                for (var i = 0; i < size; i++)
                {
                    if (random.Next(4) == 0)
                    {
                        ledger.SentIncrement();
                        connection.Send("INCR", ledger.CounterKey);
                        batch.Add((-1, 0));
                    }
                    else
                    {
                        var set = ledger.NextSet(random);
                        connection.Send("SET", set.Key, set.Value);
                        batch.Add((set.Slot, set.Sequence));
                    }
                }
                await connection.FlushWithinDeadlineAsync();
                foreach (var (slot, sequence) in batch)
                {
                    var reply = await connection.NextReplyAsync();
                    if (slot < 0)
                    {
                        ledger.AcknowledgedIncrement(reply.AsInteger());
                    }
                    else
                    {
                        RespAssert.Ok(reply);
                        ledger.AcknowledgedSet(slot, sequence);
                    }
                    acknowledged();
                }
            }
        }
        catch (Exception error) when (error is IOException or SocketException)
        {
            // The server was killed (RespConnectionException is an IOException): whatever was not
            // acknowledged by now may be lost.
        }
    }
}
