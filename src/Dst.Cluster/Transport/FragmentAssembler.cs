namespace Dst.Cluster.Transport;

/// <summary>
/// Joins the Fragment frames of one connection back into the Batch body they were cut from. Pieces
/// must come in order with nothing between them; the total is checked against the limit before
/// anything is allocated, and any inconsistency is a bad frame.
/// </summary>
internal sealed class FragmentAssembler(long maxTotal)
{
    private byte[]? _body;
    private int _received;

    /// <summary>True while a body is partly received (a Batch frame now would be out of order).</summary>
    public bool InProgress => _body is not null;

    /// <summary>Adds one Fragment frame body; returns the whole Batch body once its last piece arrived, else null.</summary>
    public ReadOnlyMemory<byte>? Add(ReadOnlyMemory<byte> fragment)
    {
        var reader = new WireReader(fragment);
        var total = reader.ReadVarint("Fragment.Total");
        var offset = reader.ReadVarint("Fragment.Offset");
        var piece = fragment[(fragment.Length - reader.Remaining)..];
        if (_body is null)
        {
            if (offset != 0)
            {
                throw new FrameFormatException($"fragment at offset {offset} with no fragment before it");
            }
            if (total == 0 || total > (ulong)maxTotal || total > (ulong)Array.MaxLength)
            {
                throw new FrameFormatException($"fragmented batch of {total} bytes exceeds the limit of {maxTotal}");
            }
            _body = new byte[total];
        }
        if (total != (ulong)_body.Length || offset != (ulong)_received || piece.IsEmpty || piece.Length > _body.Length - _received)
        {
            throw new FrameFormatException($"fragment of {piece.Length} bytes at offset {offset} of {total} does not continue the {_received} of {_body.Length} bytes received");
        }
        piece.CopyTo(_body.AsMemory(_received));
        _received += piece.Length;
        if (_received < _body.Length)
        {
            return null;
        }
        var complete = _body;
        _body = null;
        _received = 0;
        return complete;
    }
}
