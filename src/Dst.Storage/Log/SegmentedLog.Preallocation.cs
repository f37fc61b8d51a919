namespace Dst.Storage;

public sealed partial class SegmentedLog
{
    /// <summary>Written repeatedly (one gathering write per chunk) to lay zeros ahead of the records.</summary>
    private static readonly ReadOnlyMemory<byte> ZeroPiece = new byte[64 << 10];

    /// <summary>
    /// Bytes of the active segment's file that exist: its records, then zeros laid ahead of them
    /// (<see cref="SegmentedLogOptions.PreallocateBytes"/>). Beyond the last record the file holds
    /// only zeros, which recovery reads as the segment's clean end.
    /// </summary>
    private long _preparedEnd;

    /// <summary>
    /// Before an fsync of records written up to <paramref name="end"/>: once they come within half a
    /// chunk of the zeros' end, lays the next chunk of zeros after both (never over a record), up to
    /// the segment's size. This fsync flushes these zeros once; the fsyncs after it change no size.
    /// Only a sync lays them: without fsyncs (appendfsync no) they would be bytes written for nothing,
    /// 4% of a node's CPU under pipelined SETs.
    /// </summary>
    private void PrepareAhead(long end)
    {
        var chunk = _options.PreallocateBytes;
        if (chunk == 0 || end + chunk / 2 <= _preparedEnd)
        {
            return;
        }
        var from = Math.Max(_preparedEnd, end);
        var to = Math.Min(from + chunk, _options.SegmentBytes);
        if (to <= from)
        {
            return;
        }
        var pieces = new List<ReadOnlyMemory<byte>>();
        for (var at = from; at < to; at += ZeroPiece.Length)
        {
            pieces.Add(ZeroPiece[..(int)Math.Min(ZeroPiece.Length, to - at)]);
        }
        RandomAccess.Write(Active.Handle, pieces, from);
        _preparedEnd = to;
    }

    /// <summary>Cuts the zeros laid ahead of the active segment's records, so a sealed segment ends at its last record.</summary>
    private void CutPreparedZeros()
    {
        if (_preparedEnd > Active.Length)
        {
            RandomAccess.SetLength(Active.Handle, Active.Length);
        }
    }
}
