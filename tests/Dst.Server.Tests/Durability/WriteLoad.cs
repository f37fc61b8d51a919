using System.Net.Sockets;
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
            await using var connection = await RawRespConnection.ConnectAsync(port);
            var batch = new List<(int Slot, long Sequence)>(MaxBatch);
            using var frames = new MemoryStream();
            while (true)
            {
                batch.Clear();
                frames.SetLength(0);
                var size = random.Next(1, MaxBatch + 1);
                for (var i = 0; i < size; i++)
                {
                    if (random.Next(4) == 0)
                    {
                        ledger.SentIncrement();
                        frames.Write(RawRespConnection.Encode("INCR", ledger.CounterKey));
                        batch.Add((-1, 0));
                    }
                    else
                    {
                        var set = ledger.NextSet(random);
                        frames.Write(RawRespConnection.Encode("SET", set.Key, set.Value));
                        batch.Add((set.Slot, set.Sequence));
                    }
                }
                await connection.SendAsync(frames.GetBuffer().AsMemory(0, (int)frames.Length));
                foreach (var (slot, sequence) in batch)
                {
                    var reply = await connection.ReadReplyAsync();
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
            // The server was killed: whatever was not acknowledged by now may be lost.
        }
    }
}
