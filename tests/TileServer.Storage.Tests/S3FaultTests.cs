using Microsoft.AspNetCore.Http;
using TileServer.Storage.Tests.Infrastructure;
using Xunit;

namespace TileServer.Storage.Tests;

/// <summary>The S3 store (real AWS SDK, real signatures) against a loopback server that plays a failing S3 endpoint.</summary>
public sealed class S3FaultTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 700).Select(i => (byte)(i % 253)).ToArray();

    // Attempts are counted, so no hedges (see HttpFaultTests; hedging has its own tests).
    private static StoreOptions Options(string serviceUrl, int attempts = 3, double timeoutSeconds = 10) => new()
    {
        S3 = new S3StoreOptions
        {
            ServiceUrl = serviceUrl,
            ForcePathStyle = true,
            AccessKey = "key",
            SecretKey = "secret",
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        },
        Retry = new RetryOptions { MaxAttempts = attempts, BaseDelay = TimeSpan.FromMilliseconds(5) },
        Hedging = new HedgingOptions { Enabled = false },
    };

    private static Task WriteS3Error(HttpContext ctx, int status, string code)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/xml";
        return ctx.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code}</Message></Error>");
    }

    [Fact]
    public async Task SlowDownThenSuccess_IsRetriedAndSucceeds()
    {
        int calls = 0;
        string? path = null;
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            path = ctx.Request.Path;
            if (Interlocked.Increment(ref calls) == 1)
            {
                await WriteS3Error(ctx, 503, "SlowDown");
                return;
            }

            ctx.Response.ContentLength = Payload.Length;
            await ctx.Response.Body.WriteAsync(Payload);
        });
        using var factory = new ByteStoreFactory(Options(server.BaseUrl));

        var bytes = await factory.Open("s3://bucket/store.zarr").GetAsync("t/c/0/0");

        Assert.Equal(Payload, bytes);
        Assert.Equal(2, calls);
        Assert.Equal("/bucket/store.zarr/t/c/0/0", path);
    }

    [Fact]
    public async Task PersistentInternalError_IsAStoreExceptionNamingTheKey()
    {
        int calls = 0;
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            Interlocked.Increment(ref calls);
            return WriteS3Error(ctx, 500, "InternalError");
        });
        using var factory = new ByteStoreFactory(Options(server.BaseUrl, attempts: 2));

        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open("s3://bucket/p").GetAsync("t/c/1").AsTask());

        Assert.Equal("t/c/1", ex.Key);
        Assert.Contains("InternalError", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task AccessDenied_IsAnErrorUnlessReadingAnonymously()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => WriteS3Error(ctx, 403, "AccessDenied"));
        using var signed = new ByteStoreFactory(Options(server.BaseUrl));
        using var anonymous = new ByteStoreFactory(Options(server.BaseUrl) with
        {
            S3 = new S3StoreOptions { ServiceUrl = server.BaseUrl, ForcePathStyle = true, Anonymous = true },
        });

        await Assert.ThrowsAsync<StoreException>(() => signed.Open("s3://bucket/p").GetAsync("k").AsTask());
        Assert.Null(await anonymous.Open("s3://bucket/p").GetAsync("k"));
    }

    [Fact]
    public async Task HangingEndpoint_TimesOutAsStoreException_AndCallerCancellationPropagates()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Task.Delay(Timeout.Infinite, ctx.RequestAborted));
        using var factory = new ByteStoreFactory(Options(server.BaseUrl, attempts: 2, timeoutSeconds: 0.3));
        var store = factory.Open("s3://bucket/p");

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync("slow").AsTask());
        Assert.Equal("slow", ex.Key);
        Assert.Contains("no complete answer", ex.Message, StringComparison.Ordinal);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using var patient = new ByteStoreFactory(Options(server.BaseUrl, timeoutSeconds: 30));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.Open("s3://bucket/p").GetAsync("slow", null, cts.Token).AsTask());
    }

    [Fact]
    public async Task A_body_that_does_not_match_its_ETag_MD5_is_read_again_and_never_returned()
    {
        int calls = 0;
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            var body = Payload.ToArray();
            if (Interlocked.Increment(ref calls) == 1)
            {
                body[42] ^= 0x10;
            }

            ctx.Response.Headers.ETag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Payload)) + "\"";
            ctx.Response.ContentLength = body.Length;
            await ctx.Response.Body.WriteAsync(body);
        });
        using var factory = new ByteStoreFactory(Options(server.BaseUrl));

        Assert.Equal(Payload, await factory.Open("s3://bucket/p").GetAsync("k"));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task TruncatedBody_IsAnError()
    {
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            ctx.Response.ContentLength = Payload.Length;
            await ctx.Response.Body.WriteAsync(Payload.AsMemory(0, 100));
            await ctx.Response.Body.FlushAsync();
            await Task.Delay(100);
            ctx.Abort();
        });
        using var factory = new ByteStoreFactory(Options(server.BaseUrl, attempts: 2));

        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open("s3://bucket/p").GetAsync("k").AsTask());
        Assert.Equal("k", ex.Key);
    }
}
