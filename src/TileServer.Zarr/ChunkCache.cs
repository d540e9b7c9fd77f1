namespace TileServer.Zarr;

/// <summary>
/// Decoded chunks shared across requests, bounded in bytes, with in-flight coalescing
/// (concurrent requests for one chunk decode it once).
/// </summary>
public sealed class ChunkCache
{
    public ChunkCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }
}
