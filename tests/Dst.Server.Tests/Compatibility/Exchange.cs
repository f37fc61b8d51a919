namespace Dst.Server.Tests.Compatibility;

/// <summary>One command sent to both servers: their replies, and whether those count as the same (<see cref="ReplyComparison"/>).</summary>
internal sealed record Exchange(Command Command, Reply Redis, Reply Dst, bool Same);
