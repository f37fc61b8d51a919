namespace Dst.Storage;

/// <summary>A write-only pass-through that counts and CRC32Cs what the caller writes (a snapshot body).</summary>
internal sealed class ChecksumWriteStream(Stream inner) : Stream
{
    private uint _state = Crc32C.Initial;

    public long BytesWritten { get; private set; }

    public uint Checksum => Crc32C.Finish(_state);

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => BytesWritten;

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _state = Crc32C.Update(_state, buffer);
        BytesWritten += buffer.Length;
        inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    // The owner flushes (and fsyncs) the file; a body writer's Flush only pushes bytes down.
    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
