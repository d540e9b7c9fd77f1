using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using TileServer.Storage.Tests.Infrastructure;
using Xunit;

namespace TileServer.Storage.Tests;

/// <summary>
/// I/O concurrency of remote stores against a real loopback HTTP server that counts the requests it is answering at
/// once: reads go out together up to the store's bound, identical reads share one request, and a read that stalls is
/// hedged.
/// </summary>
public sealed class ConcurrencyAndHedgingTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 512).Select(i => (byte)(i * 7)).ToArray();

    private static StoreOptions Options(int maxReadsPerStore = 128, HedgingOptions? hedging = null) => new()
    {
        Retry = new RetryOptions { MaxAttempts = 1 },
        Concurrency = new ReadConcurrencyOptions { MaxReadsPerStore = maxReadsPerStore },
        Hedging = hedging ?? new HedgingOptions { Enabled = false },
    };

    /// <summary>Counts requests in flight on the server side; each waits until <paramref name="release"/> says so.</summary>
    private sealed class InFlightCounter
    {
        private int _inFlight;
        private int _peak;
        private int _total;

        public int Peak => Volatile.Read(ref _peak);
        public int Total => Volatile.Read(ref _total);

        public async Task HandleAsync(HttpContext ctx, Func<int, Task> release)
        {
            int now = Interlocked.Increment(ref _inFlight);
            Interlocked.Increment(ref _total);
            int seen;
            while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
            {
            }

            try
            {
                await release(now);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }

            ctx.Response.ContentLength = Payload.Length;
            await ctx.Response.Body.WriteAsync(Payload);
        }
    }

    [Fact]
    public async Task Reads_under_the_store_limit_are_all_in_flight_at_once()
    {
        const int reads = 40;
        var counter = new InFlightCounter();
        var everyone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(ctx => counter.HandleAsync(ctx, async now =>
        {
            if (now >= reads)
            {
                everyone.TrySetResult();
            }

            // Held until all reads are here: a client that sends them a few at a time stalls, then shows a lower peak.
            await everyone.Task.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }));
        using var factory = new ByteStoreFactory(Options());
        var store = factory.Open(server.BaseUrl);

        var results = await Task.WhenAll(Enumerable.Range(0, reads).Select(i => store.GetAsync($"c/{i}").AsTask()));

        Assert.All(results, r => Assert.Equal(Payload, r));
        Assert.Equal(reads, counter.Peak);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public async Task Reads_in_flight_to_one_store_never_exceed_MaxReadsPerStore(int limit)
    {
        var counter = new InFlightCounter();
        await using var server = await LoopbackServer.StartAsync(ctx => counter.HandleAsync(ctx, _ => Task.Delay(30)));
        using var factory = new ByteStoreFactory(Options(maxReadsPerStore: limit));
        var store = factory.Open(server.BaseUrl);

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => store.GetAsync($"c/{i}").AsTask()));

        Assert.All(results, r => Assert.Equal(Payload, r));
        Assert.Equal(24, counter.Total);
        Assert.Equal(limit, counter.Peak);
        Assert.Equal(limit, ByteStoreChain.Find<ConcurrencyLimitedByteStore>(store)!.Slots.Peak);
    }

    [Fact]
    public async Task Identical_concurrent_reads_share_one_request_and_one_caller_leaving_does_not_fail_the_others()
    {
        var counter = new InFlightCounter();
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(ctx => counter.HandleAsync(ctx, _ => open.Task));
        using var factory = new ByteStoreFactory(Options());
        var store = factory.Open(server.BaseUrl);

        using var leaving = new CancellationTokenSource();
        var first = store.GetAsync("shard/0", ByteRange.FromOffset(0, 100), leaving.Token).AsTask();
        var others = Enumerable.Range(0, 9).Select(_ => store.GetAsync("shard/0", ByteRange.FromOffset(0, 100)).AsTask()).ToList();
        var otherRange = store.GetAsync("shard/0", ByteRange.FromOffset(100, 100)).AsTask();
        await WaitUntilAsync(() => counter.Total == 2);
        leaving.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        open.SetResult();

        foreach (var bytes in await Task.WhenAll(others))
        {
            Assert.Equal(Payload.AsSpan(0, 100).ToArray(), bytes);
        }

        Assert.Equal(Payload.AsSpan(100, 100).ToArray(), await otherRange);
        Assert.Equal(2, counter.Total);
        Assert.Equal(9, ByteStoreChain.Find<CoalescingByteStore>(store)!.Shared);
    }

    [Fact]
    public async Task A_stalled_read_is_hedged_and_the_first_answer_wins()
    {
        int requests = 0;
        var stalledWasCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            if (Interlocked.Increment(ref requests) == 1)
            {
                // The first answer never comes, until the client gives up on it.
                try
                {
                    await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    stalledWasCancelled.TrySetResult();
                }

                return;
            }

            ctx.Response.ContentLength = Payload.Length;
            await ctx.Response.Body.WriteAsync(Payload);
        });
        var options = Options(hedging: new HedgingOptions { Delay = TimeSpan.FromMilliseconds(100) }) with
        {
            Http = new HttpStoreOptions { Timeout = TimeSpan.FromSeconds(30) },
        };
        using var factory = new ByteStoreFactory(options);
        var store = factory.Open(server.BaseUrl);

        ReadDiagnostics diagnostics;
        byte[]? bytes;
        using (ReadDiagnostics.Begin(out diagnostics))
        {
            bytes = await store.GetAsync("c/0/0").AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(Payload, bytes);
        Assert.Equal(2, requests);
        await stalledWasCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var hedging = ByteStoreChain.Find<HedgingByteStore>(store)!;
        Assert.Equal((1L, 1L), (hedging.Hedges, hedging.HedgesWon));
        Assert.Equal(1, diagnostics.StoreHedges);
    }

    [Fact]
    public async Task A_hedge_is_not_sent_when_the_store_has_no_free_read_slot()
    {
        int requests = 0;
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            Interlocked.Increment(ref requests);
            await Task.Delay(400);
            ctx.Response.ContentLength = Payload.Length;
            await ctx.Response.Body.WriteAsync(Payload);
        });
        using var factory = new ByteStoreFactory(Options(maxReadsPerStore: 1, hedging: new HedgingOptions { Delay = TimeSpan.FromMilliseconds(20) }));
        var store = factory.Open(server.BaseUrl);

        Assert.Equal(Payload, await store.GetAsync("c/0"));
        Assert.Equal(1, requests);
        Assert.Equal(0, ByteStoreChain.Find<HedgingByteStore>(store)!.Hedges);
    }

    [Fact]
    public void The_hedging_delay_is_the_measured_percentile_within_its_bounds()
    {
        var options = new HedgingOptions { Percentile = 95, MinSamples = 20, InitialDelay = TimeSpan.FromMilliseconds(700), MinDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(80) };
        var tracker = new LatencyTracker(options);
        for (int i = 1; i <= 19; i++)
        {
            tracker.Record(TimeSpan.FromMilliseconds(i));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(700), tracker.HedgeDelay);
        for (int i = 20; i <= 60; i++)
        {
            tracker.Record(TimeSpan.FromMilliseconds(i));
        }

        // Nearest rank: the 57th of 60 sorted values (1..60 ms).
        Assert.Equal(TimeSpan.FromMilliseconds(57), tracker.HedgeDelay);
        Assert.Equal(95.0, LatencyTracker.Percentile(Enumerable.Range(1, 100).Select(i => (double)i).ToArray(), 95));

        for (int i = 0; i < 600; i++)
        {
            tracker.Record(TimeSpan.FromMilliseconds(1000));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(80), tracker.HedgeDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(33), new LatencyTracker(options with { Delay = TimeSpan.FromMilliseconds(33) }).HedgeDelay);
    }

    [Fact]
    public async Task Connections_are_kept_alive_between_reads()
    {
        var connections = new ConcurrentDictionary<string, int>();
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            connections.AddOrUpdate(ctx.Connection.Id, 1, (_, n) => n + 1);
            ctx.Response.ContentLength = Payload.Length;
            await ctx.Response.Body.WriteAsync(Payload);
        });
        using var factory = new ByteStoreFactory(Options());
        var store = factory.Open(server.BaseUrl);

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(Payload, await store.GetAsync($"c/{i}"));
        }

        Assert.Equal(20, Assert.Single(connections).Value);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(5);
        }
    }
}
