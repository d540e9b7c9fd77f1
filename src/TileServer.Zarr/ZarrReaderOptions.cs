namespace TileServer.Zarr;

public sealed record ZarrReaderOptions
{
    /// <summary>Shared decoded-chunk cache; null disables caching.</summary>
    public ChunkCache? Cache { get; init; }

    /// <summary>Largest decoded chunk (or inner chunk) accepted, so hostile metadata cannot make us allocate gigabytes.</summary>
    public long MaxChunkBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Most chunks decoded in parallel for one window read.</summary>
    public int MaxParallelChunks { get; init; } = Environment.ProcessorCount * 2;

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
