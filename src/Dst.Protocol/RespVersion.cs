namespace Dst.Protocol;

/// <summary>The reply dialect a connection speaks, chosen with HELLO. New connections start at RESP2.</summary>
public enum RespVersion : byte
{
    Resp2 = 2,
    Resp3 = 3,
}
