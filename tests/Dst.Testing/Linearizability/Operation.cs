namespace Dst.Testing.Linearizability;

/// <summary>
/// One client operation in a history: invoked at <see cref="Call"/>, answered at <see cref="Return"/>
/// with <see cref="Output"/>. An operation whose outcome is unknown (the client timed out, the
/// node crashed) has no return: it may have taken effect at any point after its call, or never.
/// </summary>
public sealed record Operation<TInput, TOutput>(int ClientId, TInput Input, long Call, TOutput? Output, long? Return)
{
    public bool OutcomeKnown => Return is not null;

    public static Operation<TInput, TOutput> Completed(int clientId, TInput input, long call, TOutput output, long returned)
    {
        if (returned < call)
        {
            throw new ArgumentException($"operation returns ({returned}) before its call ({call})");
        }
        return new(clientId, input, call, output, returned);
    }

    public static Operation<TInput, TOutput> Unknown(int clientId, TInput input, long call) => new(clientId, input, call, default, null);
}

/// <summary>
/// A sequential specification. <see cref="Step"/> says whether <paramref name="input"/> producing
/// <paramref name="output"/> is legal in <paramref name="state"/>, and the resulting state. For an
/// operation with unknown outcome it is called with <c>outcomeKnown: false</c> and must accept any
/// output its input can produce. States must have value equality (they key the memo table).
/// </summary>
public interface IModel<TState, TInput, TOutput>
    where TState : notnull
{
    TState Initial { get; }

    /// <summary>Operations on different partitions never interact (e.g. different keys), so each is checked alone.</summary>
    string Partition(TInput input);

    bool Step(TState state, TInput input, TOutput? output, bool outcomeKnown, out TState next);
}
