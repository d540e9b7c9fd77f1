namespace TileServer.Zarr;

public sealed record ZarrReaderOptions
{
    /// <summary>Shared decoded-chunk cache; null disables caching.</summary>
    public ChunkCache? Cache { get; init; }

    /// <summary>Largest decoded chunk (or inner chunk) accepted, so hostile metadata cannot make us allocate gigabytes.</summary>
    public long MaxChunkBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Store reads one window read has in flight at once: every chunk (or shard range) a window needs is requested at
    /// once up to this bound, and each is decoded on the thread pool as it arrives. Sized for object stores, whose
    /// latency is hidden by concurrency, not for the CPU; the store's own limit bounds all requests together.
    /// </summary>
    public int MaxConcurrentReads { get; init; } = 64;

    /// <summary>
    /// Byte ranges of one shard closer than this are fetched in one request. The default (no limit) makes every window
    /// cost at most one GET per shard it touches, which is what object stores and CDNs reward; set a gap to trade
    /// requests for fewer wasted bytes between far-apart inner chunks.
    /// </summary>
    public long RangeCoalesceGap { get; init; } = long.MaxValue;

    /// <summary>
    /// When an array is opened from consolidated metadata, also read its own metadata document (one small GET per array,
    /// once) and refuse the array when the two disagree on how it reads. A store rewritten without re-consolidating
    /// otherwise serves chunks through a stale shape, type or codec. Off by default, so that consolidated metadata keeps
    /// its promise of opening arrays without requests; a server opening datasets once turns it on.
    /// </summary>
    public bool VerifyConsolidatedMetadata { get; init; }
}
