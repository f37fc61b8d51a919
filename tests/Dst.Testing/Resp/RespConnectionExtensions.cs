using Dst.Client;
using Dst.Protocol;

namespace Dst.Testing.Resp;

public static class RespConnectionExtensions
{
    /// <summary>
    /// Executes one command with <see cref="RawConnection.ReplyTimeout"/> as its deadline, so a
    /// server that never answers fails the test instead of hanging the run.
    /// </summary>
    public static async Task<RespValue> RunAsync(this RespConnection connection, params string[] arguments)
    {
        using var deadline = new CancellationTokenSource(RawConnection.ReplyTimeout);
        return await connection.ExecuteAsync(arguments, deadline.Token);
    }

    /// <summary>Reads the reply to a command sent earlier with <see cref="RespConnection.Send(string[])"/>, within the deadline.</summary>
    public static async Task<RespValue> NextReplyAsync(this RespConnection connection)
    {
        using var deadline = new CancellationTokenSource(RawConnection.ReplyTimeout);
        return await connection.ReadReplyAsync(deadline.Token);
    }

    public static async Task FlushWithinDeadlineAsync(this RespConnection connection)
    {
        using var deadline = new CancellationTokenSource(RawConnection.ReplyTimeout);
        await connection.FlushAsync(deadline.Token);
    }
}
