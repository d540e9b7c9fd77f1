namespace TileServer.Icechunk;

/// <summary>Limits for reading Icechunk repositories.</summary>
public sealed record IcechunkReaderOptions
{
    /// <summary>Largest decompressed metadata file (repo info, snapshot, manifest) read; a larger one is refused.</summary>
    public long MaxMetadataFileBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Longest history <see cref="IcechunkRepository.AncestryAsync"/> walks (format 1 reads one file per commit).</summary>
    public int MaxAncestry { get; init; } = 100_000;
}
