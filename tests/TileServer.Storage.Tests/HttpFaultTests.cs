using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TileServer.Storage.Tests.Infrastructure;
using Xunit;

namespace TileServer.Storage.Tests;

/// <summary>Retries, timeouts, cancellation and broken bodies, against a loopback server that misbehaves on purpose.</summary>
public sealed class HttpFaultTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 1000).Select(i => (byte)(i % 256)).ToArray();

    // These tests count attempts, so no hedges: on a loaded host a first answer (JIT, a new connection) or a timed-out
    // attempt can outlive the hedging delay (500 ms until the store is measured) and add a request that is not a
    // retry. Hedging has its own tests (ConcurrencyAndHedgingTests).
    private static StoreOptions Options(int attempts = 3, double timeoutSeconds = 10) => new()
    {
        Http = new HttpStoreOptions { Timeout = TimeSpan.FromSeconds(timeoutSeconds) },
        Retry = new RetryOptions { MaxAttempts = attempts, BaseDelay = TimeSpan.FromMilliseconds(5) },
        Hedging = new HedgingOptions { Enabled = false },
    };

    [Fact]
    public async Task ServerErrorThenSuccess_IsRetriedAndSucceeds()
    {
        int calls = 0;
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                ctx.Response.StatusCode = 500;
                return;
            }

            await ctx.Response.Body.WriteAsync(Payload);
        });
        using var factory = new ByteStoreFactory(Options());

        var bytes = await factory.Open(server.BaseUrl).GetAsync("a/0");

        Assert.Equal(Payload, bytes);
        Assert.Equal(2, calls);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task PersistentTransientStatus_SurfacesAsStoreExceptionNamingKeyAfterAllAttempts(int status)
    {
        int calls = 0;
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            Interlocked.Increment(ref calls);
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        });
        using var factory = new ByteStoreFactory(Options(attempts: 3));

        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open(server.BaseUrl + "/root").GetAsync("arr/c/1/2").AsTask());

        Assert.Equal("arr/c/1/2", ex.Key);
        Assert.Contains($"{status}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, calls);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(400)]
    public async Task ClientErrors_AreNotRetried(int status)
    {
        int calls = 0;
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            Interlocked.Increment(ref calls);
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        });
        using var factory = new ByteStoreFactory(Options());

        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open(server.BaseUrl).GetAsync("k").AsTask());

        Assert.IsNotType<TransientStoreException>(ex);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task NotFound_IsAbsentAndNotRetried()
    {
        int calls = 0;
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            Interlocked.Increment(ref calls);
            ctx.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        using var factory = new ByteStoreFactory(Options());

        Assert.Null(await factory.Open(server.BaseUrl).GetAsync("missing"));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task BucketStyleForbidden_IsAbsent_PlainForbidden_IsAnError()
    {
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            if (ctx.Request.Path.StartsWithSegments("/bucket"))
            {
                ctx.Response.Headers["x-amz-request-id"] = "4442587FB7D0A2F9";
            }

            ctx.Response.StatusCode = 403;
            return ctx.Response.WriteAsync("<Error><Code>AccessDenied</Code></Error>");
        });
        using var factory = new ByteStoreFactory(Options());

        Assert.Null(await factory.Open(server.BaseUrl + "/bucket").GetAsync("c/0"));
        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open(server.BaseUrl + "/site").GetAsync("c/0").AsTask());
        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HangingServer_CallerCancellationPropagatesAndIsNotRetried()
    {
        int calls = 0;
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        });
        using var factory = new ByteStoreFactory(Options(timeoutSeconds: 30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => factory.Open(server.BaseUrl).GetAsync("slow", null, cts.Token).AsTask());
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task HangingServer_PerRequestTimeoutSurfacesAsStoreExceptionNamingKey()
    {
        int calls = 0;
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        });
        using var factory = new ByteStoreFactory(Options(attempts: 2, timeoutSeconds: 0.3));

        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open(server.BaseUrl).GetAsync("slow/chunk").AsTask());

        Assert.Equal("slow/chunk", ex.Key);
        Assert.Contains("no complete answer within 0.3 s", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task BodyStallingHalfway_TimesOutInsteadOfHanging()
    {
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            ctx.Response.ContentLength = Payload.Length;
            await ctx.Response.Body.WriteAsync(Payload.AsMemory(0, 100));
            await ctx.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        });
        using var factory = new ByteStoreFactory(Options(attempts: 1, timeoutSeconds: 0.3));

        var ex = await Assert.ThrowsAsync<TransientStoreException>(() => factory.Open(server.BaseUrl).GetAsync("k").AsTask());
        Assert.Equal("k", ex.Key);
    }

    [Fact]
    public async Task TruncatedBody_IsAnErrorAndNeverReturnedAsData()
    {
        int calls = 0;
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            Interlocked.Increment(ref calls);
            ctx.Response.ContentLength = Payload.Length;
            await ctx.Response.Body.WriteAsync(Payload.AsMemory(0, 400));
            await ctx.Response.Body.FlushAsync();

            // Let headers and the first bytes reach the client before the connection is cut mid-body.
            await Task.Delay(100);
            ctx.Abort();
        });
        using var factory = new ByteStoreFactory(Options(attempts: 2));

        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open(server.BaseUrl).GetAsync("chunk/0").AsTask());

        Assert.Equal("chunk/0", ex.Key);
        Assert.Matches("truncated|broken off", ex.Message);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task ContentRangeOtherThanRequested_IsAnError()
    {
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            // Claims bytes 0-9 whatever was asked.
            ctx.Response.StatusCode = 206;
            ctx.Response.Headers.ContentRange = "bytes 0-9/1000";
            ctx.Response.ContentLength = 10;
            await ctx.Response.Body.WriteAsync(Payload.AsMemory(0, 10));
        });
        using var factory = new ByteStoreFactory(Options());

        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open(server.BaseUrl).GetAsync("k", ByteRange.FromOffset(100, 10)).AsTask());
        Assert.Contains("bytes 0-9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContentRangeLongerThanBody_IsAnError()
    {
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            ctx.Response.StatusCode = 206;
            ctx.Response.Headers.ContentRange = "bytes 100-199/1000";
            ctx.Response.ContentLength = 50;
            await ctx.Response.Body.WriteAsync(Payload.AsMemory(100, 50));
        });
        using var factory = new ByteStoreFactory(Options());

        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open(server.BaseUrl).GetAsync("k", ByteRange.FromOffset(100, 100)).AsTask());
        Assert.Contains("Content-Length 50", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerIgnoringRange_StillYieldsTheRequestedBytes()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => ctx.Response.Body.WriteAsync(Payload).AsTask());
        using var factory = new ByteStoreFactory(Options());
        var store = factory.Open(server.BaseUrl);

        Assert.Equal(Payload.AsSpan(300, 20).ToArray(), await store.GetAsync("k", ByteRange.FromOffset(300, 20)));
        Assert.Equal(Payload.AsSpan(990).ToArray(), await store.GetAsync("k", ByteRange.Suffix(10)));
    }

    [Fact]
    public async Task TransparentContentEncoding_IsRefused()
    {
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            ctx.Response.Headers.ContentEncoding = "gzip";
            return ctx.Response.Body.WriteAsync(Payload).AsTask();
        });
        using var factory = new ByteStoreFactory(Options());

        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open(server.BaseUrl).GetAsync("k").AsTask());
        Assert.Contains("gzip", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObjectLargerThanTheLimit_IsRefusedBeforeReading()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => ctx.Response.Body.WriteAsync(Payload).AsTask());
        using var factory = new ByteStoreFactory(Options() with { MaxObjectBytes = 500 });

        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open(server.BaseUrl).GetAsync("big").AsTask());
        Assert.Contains("limit of 500 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionRefused_IsRetriedThenReported()
    {
        string url;
        await using (var server = await LoopbackServer.StartAsync(_ => Task.CompletedTask))
        {
            url = server.BaseUrl;
        }

        using var factory = new ByteStoreFactory(Options(attempts: 2));
        var ex = await Assert.ThrowsAsync<StoreException>(() => factory.Open(url).GetAsync("k").AsTask());
        Assert.Equal("k", ex.Key);
        Assert.Contains("2 attempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharedHttpClientFromCaller_IsUsedAndNotDisposed()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => ctx.Response.Body.WriteAsync(Payload).AsTask());
        using var client = new HttpClient();
        using (var factory = new ByteStoreFactory(Options(), client))
        {
            Assert.Equal(Payload, await factory.Open(server.BaseUrl).GetAsync("k"));
        }

        // Still usable: the factory did not dispose a client it does not own.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(server.BaseUrl + "/k"))).StatusCode);
    }

    [Fact]
    public async Task RetryAfter_IsHonouredUpToMaxDelay()
    {
        int calls = 0;
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                ctx.Response.StatusCode = 429;
                ctx.Response.Headers.RetryAfter = "3600";
                return;
            }

            await ctx.Response.Body.WriteAsync(Payload);
        });
        using var logs = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var options = Options() with { Retry = new RetryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromSeconds(1) } };
        using var factory = new ByteStoreFactory(options, null, loggerFactory);

        Assert.Equal(Payload, await factory.Open(server.BaseUrl).GetAsync("k"));

        var retry = Assert.Single(logs.Entries, e => e.Any(kv => kv.Key == "DelayMs"));
        Assert.Equal(1000.0, (double)retry.Single(kv => kv.Key == "DelayMs").Value!);
        Assert.Equal("k", retry.Single(kv => kv.Key == "Key").Value);
    }
}
