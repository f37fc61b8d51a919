using Dst.Storage;

namespace Dst.Cluster.Hosting;

/// <summary>
/// One snapshot a group takes without stopping: begun on the loop thread (the state machine's image
/// and the address book captured, its place in the log fixed), written to its file on a thread of
/// its own while the group keeps applying, then handed back to the loop thread to be installed.
/// </summary>
internal sealed class SnapshotJob
{
    private readonly ISnapshotImage _image;
    private readonly byte[] _encodedBook;
    private readonly CancellationTokenSource _cancellation = new();

    public SnapshotJob(PendingSnapshot pending, ISnapshotImage image, byte[] encodedBook)
    {
        Pending = pending;
        _image = image;
        _encodedBook = encodedBook;
    }

    public PendingSnapshot Pending { get; }

    public ulong Index => Pending.Metadata.Index;

    /// <summary>Why writing failed (set before <see cref="Written"/> completes), or null: the file is durable.</summary>
    public string? Error { get; private set; }

    /// <summary>The unexpected exception behind <see cref="Error"/>, if it was not an I/O error or a cancellation.</summary>
    public Exception? Bug { get; private set; }

    /// <summary>Bytes of state the snapshot holds (its data section), once written.</summary>
    public long DataBytes { get; private set; }

    /// <summary>Completes when the write ended, successfully or not (never faults).</summary>
    public Task Written { get; private set; } = Task.CompletedTask;

    /// <summary>Starts writing; <paramref name="whenWritten"/> is called on the writing thread when it ends.</summary>
    public void Start(Action<SnapshotJob> whenWritten) =>
        Written = Task.Factory.StartNew(() =>
        {
            Write();
            whenWritten(this);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Stops the write soon (a newer snapshot replaced the state, or the node is stopping).</summary>
    public void Cancel() => _cancellation.Cancel();

    private void Write()
    {
        try
        {
            var cancellation = _cancellation.Token;
            Pending.Write(file =>
            {
                var start = file.Position;
                SnapshotEnvelope.Write(file, _encodedBook, image => _image.WriteTo(image, cancellation));
                DataBytes = file.Position - start;
            });
        }
        catch (OperationCanceledException)
        {
            Error = "cancelled";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error = e.Message;
        }
        catch (Exception e)
        {
            // The log still holds every entry: the node keeps going without this snapshot.
            Error = e.Message;
            Bug = e;
        }
        finally
        {
            _image.Dispose();
        }
    }
}
