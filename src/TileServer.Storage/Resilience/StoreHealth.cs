using System.Collections.Concurrent;

namespace TileServer.Storage;

/// <summary>Whether a store is taking reads: healthy, probing after an outage, or down (reads fail at once).</summary>
public enum StoreStatus
{
    Healthy,
    Recovering,
    Unavailable,
}

/// <summary>What is known of one store's health, for readiness and dataset documents.</summary>
/// <param name="Reason">The failure that made the store unavailable, written for a user; null when healthy.</param>
/// <param name="Since">When the status last changed.</param>
/// <param name="RetryAt">While unavailable: when a read will next be let through to probe the store.</param>
public sealed record StoreHealthReport(string Location, string Kind, StoreStatus Status, string? Reason, DateTimeOffset Since, DateTimeOffset? RetryAt);

/// <summary>The health of one store, updated by its circuit breaker.</summary>
public sealed class StoreHealth
{
    private readonly TimeProvider _time;
    private volatile StoreHealthReport _report;

    internal StoreHealth(string location, string kind, TimeProvider time)
    {
        _time = time;
        _report = new StoreHealthReport(location, kind, StoreStatus.Healthy, null, time.GetUtcNow(), null);
    }

    public StoreHealthReport Report => _report;

    internal void Opened(string reason, TimeSpan breakDuration)
    {
        var now = _time.GetUtcNow();
        _report = _report with { Status = StoreStatus.Unavailable, Reason = reason, Since = now, RetryAt = now + breakDuration };
    }

    internal void HalfOpened() => _report = _report with { Status = StoreStatus.Recovering, Since = _time.GetUtcNow(), RetryAt = null };

    internal void Closed() => _report = _report with { Status = StoreStatus.Healthy, Reason = null, Since = _time.GetUtcNow(), RetryAt = null };
}

/// <summary>
/// The health of every remote store this server reads, by location: what readiness and the dataset documents show.
/// One per store factory.
/// </summary>
public sealed class StoreHealthRegistry
{
    private readonly ConcurrentDictionary<string, StoreHealth> _stores = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public StoreHealthRegistry(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The health entry of a store location, created healthy on first use.</summary>
    public StoreHealth Track(string location, string kind)
        => _stores.GetOrAdd(location, static (l, state) => new StoreHealth(l, state.kind, state.time), (kind, time: _time));

    /// <summary>Every tracked store, ordered by location.</summary>
    public IReadOnlyList<StoreHealthReport> Snapshot()
        => _stores.Values.Select(s => s.Report).OrderBy(r => r.Location, StringComparer.Ordinal).ToList();

    /// <summary>Stores that are not healthy now.</summary>
    public IReadOnlyList<StoreHealthReport> Unhealthy()
        => Snapshot().Where(r => r.Status != StoreStatus.Healthy).ToList();

    /// <summary>The health of the store at <paramref name="location"/>; null when no store there is tracked (a local folder, or not opened).</summary>
    public StoreHealthReport? Find(string location)
        => _stores.TryGetValue(location, out var health) ? health.Report : null;
}
