using Dst.Protocol;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>A server started with --requirepass: nothing but AUTH/HELLO works until the password is given.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private const string Password = "s3cret-pass";
    private ServerProcess? _server;

    private ServerProcess Server => _server!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync("--requirepass", Password);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Commands_before_auth_get_noauth_and_do_nothing()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Error("NOAUTH Authentication required.", await redis.RunAsync("SET", "auth:k", "v"));
        RespAssert.Error("NOAUTH Authentication required.", await redis.RunAsync("GET", "auth:k"));
        RespAssert.Ok(await redis.RunAsync("AUTH", Password));
        RespAssert.Nil(await redis.RunAsync("GET", "auth:k"));
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_wrongpass()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Error("WRONGPASS invalid username-password pair or user is disabled.", await redis.RunAsync("AUTH", "guess"));
        RespAssert.Error("WRONGPASS invalid username-password pair or user is disabled.", await redis.RunAsync("AUTH", "default", "guess"));
        RespAssert.Error("NOAUTH Authentication required.", await redis.RunAsync("GET", "auth:k"));
    }

    [Fact]
    public async Task Auth_with_the_default_user_and_hello_auth_both_authenticate()
    {
        await using (var twoArguments = await Server.ConnectAsync())
        {
            RespAssert.Ok(await twoArguments.RunAsync("AUTH", "default", Password));
            RespAssert.Ok(await twoArguments.RunAsync("SET", "auth:hello", "v"));
        }
        await using var hello = await Server.ConnectAsync();
        var reply = await hello.RunAsync("HELLO", "3", "AUTH", "default", Password);
        Assert.Equal(RespType.Map, reply.Type);
        RespAssert.Bulk("v", await hello.RunAsync("GET", "auth:hello"));
    }

    [Fact]
    public async Task Hello_with_a_wrong_password_fails_and_leaves_the_connection_unauthenticated()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.ErrorStartsWith("WRONGPASS", await redis.RunAsync("HELLO", "3", "AUTH", "default", "guess"));
        RespAssert.Error("NOAUTH Authentication required.", await redis.RunAsync("GET", "auth:k"));
    }

    [Fact]
    public async Task Unauthenticated_clients_may_not_announce_big_frames()
    {
        await using (var multibulk = await Server.ConnectRawAsync())
        {
            await multibulk.SendAsync("*100000\r\n");
            Assert.Equal("-ERR Protocol error: unauthenticated multibulk length\r\n", await multibulk.ReadUntilClosedAsync());
        }
        await using var bulk = await Server.ConnectRawAsync();
        await bulk.SendAsync("*2\r\n$4\r\nAUTH\r\n$100000\r\n");
        Assert.Equal("-ERR Protocol error: unauthenticated bulk length\r\n", await bulk.ReadUntilClosedAsync());
    }
}

/// <summary>AUTH against a server without a password, worded as Redis words it.</summary>
public sealed class AuthenticationWithoutPasswordTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Auth_without_a_configured_password_is_an_error()
    {
        await using var redis = await fixture.Server.ConnectAsync();
        RespAssert.Error(
            "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
            await redis.RunAsync("AUTH", "anything"));
        RespAssert.SimpleString("PONG", await redis.RunAsync("PING"));
    }
}
