using TileServer.Storage;

namespace TileServer.Reading;

/// <summary>One remote store's health as readiness and the dataset documents show it.</summary>
/// <param name="Status">healthy, recovering (a read is probing it after an outage) or unavailable (reads fail at once).</param>
public sealed record StoreHealthInfo(string Location, string Status, string? Reason, DateTimeOffset Since, DateTimeOffset? RetryAt);

/// <summary>The health of the stores the datasets read, as data for readiness and <c>/datasets</c>.</summary>
public sealed class StoreHealthView
{
    private readonly StoreHealthRegistry _registry;

    public StoreHealthView(StoreHealthRegistry registry)
    {
        _registry = registry;
    }

    /// <summary>Stores that are not taking reads normally now.</summary>
    public IReadOnlyList<StoreHealthInfo> Unhealthy() => _registry.Unhealthy().Select(Info).ToList();

    /// <summary>The health of the store at a location; null for local folders and stores not opened.</summary>
    public StoreHealthInfo? For(string location) => _registry.Find(location) is { } report ? Info(report) : null;

    private static StoreHealthInfo Info(StoreHealthReport r) => new(r.Location, r.Status switch
    {
        StoreStatus.Healthy => "healthy",
        StoreStatus.Recovering => "recovering",
        _ => "unavailable",
    }, r.Reason, r.Since, r.RetryAt);
}
