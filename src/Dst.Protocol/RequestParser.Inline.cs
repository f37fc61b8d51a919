using System.Buffers;

namespace Dst.Protocol;

public sealed partial class RequestParser
{
    /// <summary>One line ended by "\n" or "\r\n", split with redis-cli quoting.</summary>
    private ParseStatus ParseInline(ref SequenceReader<byte> reader, CommandArgs args, out string? error)
    {
        var maxLine = _limits.MaxInlineLength;
        // Enough bytes to tell a line of maxLine (plus "\r\n") from a longer one.
        var window = (int)Math.Min(reader.Remaining, maxLine + 2L);
        var span = reader.UnreadSpan;
        if (span.Length >= window)
        {
            var newline = span[..window].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = span[..newline];
                if (!line.IsEmpty && line[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }
                return SplitLine(ref reader, line, newline + 1, args, out error);
            }
            return TooLongOrIncomplete(span[..window], out error);
        }
        return ParseInlineAcrossSegments(ref reader, window, args, out error);
    }

    private ParseStatus ParseInlineAcrossSegments(ref SequenceReader<byte> reader, int window, CommandArgs args, out string? error)
    {
        var searched = reader.UnreadSequence.Slice(0, window);
        var rented = ArrayPool<byte>.Shared.Rent(window);
        try
        {
            var copy = rented.AsSpan(0, window);
            searched.CopyTo(copy);
            var newline = copy.IndexOf((byte)'\n');
            if (newline < 0)
            {
                return TooLongOrIncomplete(copy, out error);
            }
            var line = copy[..newline];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            return SplitLine(ref reader, line, newline + 1, args, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// No newline in <paramref name="searched"/>: the line is already longer than the limit
    /// (the same verdict whatever else arrives later), or we wait for more bytes.
    /// </summary>
    private ParseStatus TooLongOrIncomplete(ReadOnlySpan<byte> searched, out string? error)
    {
        var maxLine = _limits.MaxInlineLength;
        // maxLine + 1 bytes is still fine when the last one is the '\r' of a "\r\n" yet to come.
        var tooLong = searched.Length > maxLine + 1 || (searched.Length == maxLine + 1 && searched[maxLine] != (byte)'\r');
        error = tooLong ? ProtocolErrors.TooBigInlineRequest : null;
        return tooLong ? ParseStatus.Error : ParseStatus.Incomplete;
    }

    private ParseStatus SplitLine(ref SequenceReader<byte> reader, ReadOnlySpan<byte> line, int lineLengthWithNewline, CommandArgs args, out string? error)
    {
        if (line.Length > _limits.MaxInlineLength)
        {
            error = ProtocolErrors.TooBigInlineRequest;
            return ParseStatus.Error;
        }
        if (!InlineArgumentSplitter.TrySplit(line, args))
        {
            error = ProtocolErrors.UnbalancedQuotes;
            return ParseStatus.Error;
        }
        reader.Advance(lineLengthWithNewline);
        error = null;
        return ParseStatus.Complete;
    }
}
