namespace Dst.Commands.Snapshots;

/// <summary>
/// The state machine's snapshot at one applied index, captured in a short pause under the keyspace
/// lock (<see cref="StateMachine.CaptureSnapshot"/>) and written afterwards, from any thread, while
/// writes go on. It is a list of sections, each copied at capture time and written in order; a new
/// part of the replicated state adds its section to the capture. Dispose it once written (or given
/// up): that ends the keyspace's copy-on-write.
/// </summary>
public sealed class StateImage : IDisposable
{
    private readonly IReadOnlyList<SectionWriter> _sections;
    private readonly IDisposable _capture;

    internal StateImage(ulong appliedIndex, IReadOnlyList<SectionWriter> sections, IDisposable capture)
    {
        AppliedIndex = appliedIndex;
        _sections = sections;
        _capture = capture;
    }

    /// <summary>Writes one captured section to the snapshot stream.</summary>
    internal delegate void SectionWriter(Stream destination, CancellationToken cancellation);

    /// <summary>The index of the last entry the image reflects.</summary>
    public ulong AppliedIndex { get; }

    /// <summary>
    /// Streams the snapshot (the same bytes a snapshot written in one piece at <see cref="AppliedIndex"/>
    /// would hold). Throws <see cref="OperationCanceledException"/> soon after <paramref name="cancellation"/> fires.
    /// </summary>
    public void WriteTo(Stream destination, CancellationToken cancellation = default)
    {
        foreach (var section in _sections)
        {
            cancellation.ThrowIfCancellationRequested();
            section(destination, cancellation);
        }
    }

    public void Dispose() => _capture.Dispose();
}
