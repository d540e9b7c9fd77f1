using System.Diagnostics;

namespace TileServer.Storage;

/// <summary>
/// Tail latency: a read that has not answered after the hedging delay (the store's measured p95, or a fixed delay) is
/// sent a second time and the first successful answer wins; the other is cancelled. A hedge is sent only when the
/// store has a free read slot and the retry budget allows it, so hedging never queues behind, or multiplies, real work.
/// </summary>
public sealed class HedgingByteStore : ByteStoreDecorator
{
    private readonly HedgingOptions _options;
    private readonly ReadSlots? _slots;
    private readonly RetryBudget? _budget;
    private readonly KeyValuePair<string, object?> _kindTag;
    private long _hedges;
    private long _hedgesWon;

    public HedgingByteStore(IByteStore inner, HedgingOptions options, string kind, ReadSlots? slots = null, RetryBudget? budget = null)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _slots = slots;
        _budget = budget;
        _kindTag = new("kind", kind);
        Latency = new LatencyTracker(options);
    }

    /// <summary>Measured latencies of this store's reads, and the delay they give.</summary>
    public LatencyTracker Latency { get; }

    /// <summary>Hedged reads sent.</summary>
    public long Hedges => Interlocked.Read(ref _hedges);

    /// <summary>Hedged reads that answered before the read they duplicated.</summary>
    public long HedgesWon => Interlocked.Read(ref _hedgesWon);

    public override async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled)
        {
            return await Inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
        }

        using var primaryCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var primary = TimedAsync(key, range, primaryCancel.Token);
        if (!primary.IsCompleted)
        {
            Task first;
            using (var timerCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                first = await Task.WhenAny(primary, Task.Delay(Latency.HedgeDelay, timerCancel.Token)).ConfigureAwait(false);
                timerCancel.Cancel();
            }

            if (first != primary && !cancellationToken.IsCancellationRequested && TryReserveHedge())
            {
                Interlocked.Increment(ref _hedges);
                Telemetry.StoreHedges.Add(1, _kindTag);
                ReadDiagnostics.Current?.AddStoreHedge();
                using var hedgeCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var hedge = HedgeAsync(key, range, hedgeCancel.Token);
                return await FirstSuccessAsync(primary, primaryCancel, hedge, hedgeCancel).ConfigureAwait(false);
            }
        }

        return await primary.ConfigureAwait(false);
    }

    private bool TryReserveHedge()
    {
        if (_slots is not null && !_slots.TryTake())
        {
            return false;
        }

        if (_budget is null || _budget.TrySpend())
        {
            return true;
        }

        _slots?.Release();
        return false;
    }

    private async Task<byte[]?> HedgeAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        try
        {
            return await TimedAsync(key, range, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots?.Release();
        }
    }

    private async Task<byte[]?> FirstSuccessAsync(Task<byte[]?> primary, CancellationTokenSource primaryCancel, Task<byte[]?> hedge, CancellationTokenSource hedgeCancel)
    {
        var winner = await Task.WhenAny(primary, hedge).ConfigureAwait(false);
        var other = winner == primary ? hedge : primary;
        if (winner.IsCompletedSuccessfully)
        {
            if (winner == hedge)
            {
                Interlocked.Increment(ref _hedgesWon);
            }

            (winner == primary ? hedgeCancel : primaryCancel).Cancel();
            Observe(other);
            return winner.Result;
        }

        // The first to finish failed: the other may still succeed. When both fail, the first read's error is reported.
        try
        {
            var result = await other.ConfigureAwait(false);
            if (other == hedge)
            {
                Interlocked.Increment(ref _hedgesWon);
            }

            return result;
        }
        catch (Exception) when (other == hedge && !primary.IsCanceled)
        {
            return await primary.ConfigureAwait(false);
        }
    }

    private async Task<byte[]?> TimedAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        var result = await Inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
        Latency.Record(Stopwatch.GetElapsedTime(start));
        return result;
    }

    private static void Observe(Task task)
        => task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
