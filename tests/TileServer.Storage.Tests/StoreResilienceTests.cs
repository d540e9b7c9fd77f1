using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using TileServer.Storage.Tests.Infrastructure;
using Xunit;

namespace TileServer.Storage.Tests;

/// <summary>
/// A remote store in trouble, against real loopback servers: retries bounded by the store's budget and the read's
/// deadline, a circuit breaker that stops reads to a store that keeps failing and lets them through again when it
/// recovers, damaged bodies caught by the digests servers send, and HTTP/2 where the server offers it.
/// </summary>
public sealed class StoreResilienceTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 900).Select(i => (byte)(i * 13)).ToArray();

    private static StoreOptions Options(int attempts = 3, CircuitBreakerOptions? breaker = null, RetryOptions? retry = null) => new()
    {
        Retry = retry ?? new RetryOptions { MaxAttempts = attempts, BaseDelay = TimeSpan.FromMilliseconds(5) },
        Hedging = new HedgingOptions { Enabled = false },
        CircuitBreaker = breaker ?? new CircuitBreakerOptions { Enabled = false },
    };

    [Fact]
    public async Task Retries_stop_when_the_stores_retry_budget_is_spent()
    {
        int requests = 0;
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            Interlocked.Increment(ref requests);
            ctx.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        // No budget earned by reads and none added over time: only the starting reserve of 10 retries.
        using var factory = new ByteStoreFactory(Options(retry: new RetryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), BudgetRatio = 0, BudgetMinPerSecond = 0 }));
        var store = factory.Open(server.BaseUrl);

        var messages = new List<string>();
        for (int i = 0; i < 20; i++)
        {
            messages.Add((await Assert.ThrowsAsync<StoreException>(() => store.GetAsync($"c/{i}").AsTask())).Message);
        }

        Assert.Equal(20 + 10, requests);
        Assert.Contains(messages, m => m.Contains("retry budget", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retries_stop_when_the_reads_deadline_leaves_no_time_for_the_wait()
    {
        int requests = 0;
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            Interlocked.Increment(ref requests);
            ctx.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        using var factory = new ByteStoreFactory(Options(retry: new RetryOptions { MaxAttempts = 5, BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(4) }));
        var store = factory.Open(server.BaseUrl);

        StoreException ex;
        using (ReadDiagnostics.Begin(out var diagnostics))
        {
            diagnostics.SetDeadline(TimeSpan.FromMilliseconds(500));
            ex = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync("c/0").AsTask());
        }

        Assert.Equal(1, requests);
        Assert.Contains("deadline", ex.Message, StringComparison.Ordinal);
        Assert.Contains("500", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_keeps_failing_trips_the_breaker_costs_nothing_while_down_and_serves_again_when_it_recovers()
    {
        int requests = 0;
        bool down = true;
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            Interlocked.Increment(ref requests);
            if (Volatile.Read(ref down))
            {
                ctx.Response.StatusCode = 503;
                return;
            }

            ctx.Response.ContentLength = Payload.Length;
            await ctx.Response.Body.WriteAsync(Payload);
        });
        var breaker = new CircuitBreakerOptions { MinimumReads = 4, FailureRatio = 0.5, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(1) };
        using var factory = new ByteStoreFactory(Options(attempts: 1, breaker: breaker));
        var store = factory.Open(server.BaseUrl);

        for (int i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<TransientStoreException>(() => store.GetAsync($"c/{i}").AsTask());
        }

        var health = factory.Health.Find(server.BaseUrl)!;
        Assert.Equal(StoreStatus.Unavailable, health.Status);
        Assert.Contains("503", health.Reason, StringComparison.Ordinal);
        Assert.Single(factory.Health.Unhealthy());

        // While open: reads fail at once, name why, and never reach the server.
        int before = requests;
        for (int i = 0; i < 20; i++)
        {
            var ex = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync($"c/{i}").AsTask());
            Assert.Contains("unavailable", ex.Message, StringComparison.Ordinal);
            Assert.Contains("503", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, requests);

        Volatile.Write(ref down, false);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        Assert.Equal(Payload, await store.GetAsync("c/0"));
        Assert.Equal(StoreStatus.Healthy, factory.Health.Find(server.BaseUrl)!.Status);
        Assert.Empty(factory.Health.Unhealthy());
        Assert.Equal(Payload, await store.GetAsync("c/1"));
    }

    [Fact]
    public async Task Absent_objects_do_not_count_against_a_store()
    {
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            ctx.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        var breaker = new CircuitBreakerOptions { MinimumReads = 2, SamplingDuration = TimeSpan.FromSeconds(30) };
        using var factory = new ByteStoreFactory(Options(breaker: breaker));
        var store = factory.Open(server.BaseUrl);

        for (int i = 0; i < 10; i++)
        {
            Assert.Null(await store.GetAsync($"missing/{i}"));
        }

        Assert.Equal(StoreStatus.Healthy, factory.Health.Find(server.BaseUrl)!.Status);
    }

    [Fact]
    public async Task A_body_that_does_not_match_its_Content_MD5_is_read_again_and_never_returned()
    {
        int requests = 0;
        bool alwaysDamaged = false;
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            int n = Interlocked.Increment(ref requests);
            ctx.Response.Headers["Content-MD5"] = Convert.ToBase64String(MD5.HashData(Payload));
            ctx.Response.ContentLength = Payload.Length;
            var body = Payload.ToArray();
            if (n == 1 || alwaysDamaged)
            {
                body[body.Length / 2] ^= 0x01;
            }

            await ctx.Response.Body.WriteAsync(body);
        });
        using var factory = new ByteStoreFactory(Options(attempts: 2));
        var store = factory.Open(server.BaseUrl);

        Assert.Equal(Payload, await store.GetAsync("c/0"));
        Assert.Equal(2, requests);

        alwaysDamaged = true;
        var ex = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync("c/1").AsTask());
        Assert.Contains("MD5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_does_not_match_its_google_crc32c_is_refused()
    {
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            ctx.Response.Headers["x-goog-hash"] = "crc32c=" + Convert.ToBase64String(BigEndian(BodyChecksum.Crc32C(Payload)));
            ctx.Response.ContentLength = Payload.Length;
            var body = Payload.ToArray();
            body[0] ^= 0x80;
            await ctx.Response.Body.WriteAsync(body);
        });
        using var factory = new ByteStoreFactory(Options(attempts: 1));

        var ex = await Assert.ThrowsAsync<TransientStoreException>(() => factory.Open(server.BaseUrl).GetAsync("c/0").AsTask());
        Assert.Contains("CRC32C", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_crc32c_is_Castagnolis()
    {
        // The check value of CRC-32C (RFC 3720, B.4): "123456789" -> 0xE3069283.
        Assert.Equal(0xE3069283u, BodyChecksum.Crc32C("123456789"u8));
        Assert.Null(BodyChecksum.Md5FromS3ETag("\"0123456789abcdef0123456789abcdef-2\"", null, false));
        Assert.Null(BodyChecksum.Md5FromS3ETag("\"0123456789abcdef0123456789abcdef\"", "aws:kms", false));
        Assert.Null(BodyChecksum.Md5FromS3ETag("\"0123456789abcdef0123456789abcdef\"", null, customerKey: true));
        Assert.Equal(16, BodyChecksum.Md5FromS3ETag("\"0123456789abcdef0123456789abcdef\"", "AES256", false)!.Length);
    }

    [Fact]
    public async Task An_https_store_that_offers_HTTP2_is_read_over_HTTP2_and_plain_http_over_HTTP11()
    {
        using var certificate = SelfSigned();
        var protocols = new System.Collections.Concurrent.ConcurrentBag<string>();
        RequestDelegate handler = async ctx =>
        {
            protocols.Add(ctx.Request.Protocol);
            ctx.Response.ContentLength = Payload.Length;
            await ctx.Response.Body.WriteAsync(Payload);
        };
        await using var https = await LoopbackServer.StartHttpsAsync(certificate, handler);
        await using var http = await LoopbackServer.StartAsync(handler);
        var socketsHandler = StoreHttpHandler.Create(new HttpStoreOptions());
        socketsHandler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString();
        using var client = new HttpClient(socketsHandler) { Timeout = Timeout.InfiniteTimeSpan };
        using var factory = new ByteStoreFactory(Options(), client);

        Assert.Equal(Payload, await factory.Open(https.BaseUrl).GetAsync("c/0", ByteRange.FromOffset(0, Payload.Length)));
        Assert.Equal(["HTTP/2"], protocols.ToArray());

        protocols.Clear();
        Assert.Equal(Payload, await factory.Open(http.BaseUrl).GetAsync("c/0"));
        Assert.Equal(["HTTP/1.1"], protocols.ToArray());
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
