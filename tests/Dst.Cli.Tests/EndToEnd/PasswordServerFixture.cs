namespace Dst.Cli.Tests.EndToEnd;

/// <summary>A dst-server started with <c>--requirepass</c>, shared by one test class.</summary>
public sealed class PasswordServerFixture : IAsyncLifetime
{
    public const string Password = "s3cret";

    public DstServerFixture Server { get; } = new("--requirepass", Password);

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();
}
