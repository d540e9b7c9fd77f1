namespace TileServer.Storage;

/// <summary>
/// A failure that may go away if the read is tried again (5xx, 429, a reset connection, a broken-off body,
/// a per-request timeout). <see cref="RetryingByteStore"/> retries exactly these; without it they surface
/// as the <see cref="StoreException"/> they are.
/// </summary>
public sealed class TransientStoreException : StoreException
{
    public TransientStoreException(string location, string key, string reason, Exception? inner = null)
        : base(location, key, reason, inner)
    {
        Reason = reason;
    }

    /// <summary>What went wrong, without the store and key.</summary>
    public string Reason { get; }

    /// <summary>How long the server asked us to wait (<c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
