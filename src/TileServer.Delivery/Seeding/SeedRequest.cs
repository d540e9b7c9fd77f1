using TileServer.Crs;
using TileServer.Delivery.Cache;
using TileServer.Delivery.Seeding.Pmtiles;
using TileServer.Reading;
using TileServer.Tiling;

namespace TileServer.Delivery.Seeding;

/// <summary>
/// What to seed: a dataset's tiles in one TileMatrixSet over a zoom range and a lon/lat box, rendered as the tile
/// endpoint renders <c>/tiles/{dataset}/{tms}/{z}/{x}/{y}.{format}?{query}</c>, written to one target.
/// </summary>
public sealed record SeedRequest
{
    public required string Dataset { get; init; }

    public string TileMatrixSet { get; init; } = WellKnownTileMatrixSets.WebMercatorQuad;

    public required int MinZoom { get; init; }

    public required int MaxZoom { get; init; }

    /// <summary>West, south, east, north in degrees (WGS84); null = the dataset's bounds.</summary>
    public Extent? Bbox { get; init; }

    /// <summary>The tile URL's extension: png, webp or jpg.</summary>
    public string Format { get; init; } = "png";

    /// <summary>The tile URL's query string, without '?' (e.g. <c>colormap_name=viridis&amp;rescale=0,1</c>).</summary>
    public string Query { get; init; } = "";

    public required SeedTarget Target { get; init; }

    /// <summary>Tiles rendered at once.</summary>
    public int Concurrency { get; init; } = Environment.ProcessorCount;
}

/// <summary>Where seeded tiles go.</summary>
public abstract record SeedTarget
{
    private SeedTarget()
    {
    }

    /// <summary><c>{Path}/{z}/{x}/{y}.{format}</c>; a tile whose file is there already is kept, so a run can be resumed.</summary>
    public sealed record Folder(string Path) : SeedTarget;

    /// <summary>One PMTiles v3 archive (WebMercatorQuad only: PMTiles addresses tiles by that grid's z/x/y).</summary>
    public sealed record Pmtiles(string Path) : SeedTarget;

    /// <summary>The configured shared (Redis) tier of the rendered-tile cache, under the keys the server looks up.</summary>
    public sealed record Cache : SeedTarget;
}

/// <summary>Tuning of the seeding engine; the defaults suit the command line.</summary>
public sealed record SeedOptions
{
    /// <summary>How often a progress line is written.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest wait for a dataset's default stretch: until its statistics are ready the server draws each tile
    /// stretched by its own values and marks it uncacheable, and such a tile must not be seeded.
    /// </summary>
    public TimeSpan StretchWait { get; init; } = TimeSpan.FromMinutes(2);

    public PmtilesOptions Pmtiles { get; init; } = new();
}

/// <summary>The tile endpoint's answer for one tile: the key the server's tile cache files it under, and the entry.</summary>
public sealed record ServedTile(string CacheKey, CachedTile Entry);

/// <summary>
/// The tile endpoint's render of one tile without HTTP, with its format and query already bound. The composition root
/// provides it over the code path the endpoint runs, so a seeded tile holds the bytes a client would have received.
/// </summary>
public delegate Task<ServedTile> TileRender(DatasetReader reader, TileMatrixSet tms, TileMatrix matrix, long col, long row, CancellationToken cancellationToken);

/// <summary>How a seed went; <see cref="ToString"/> is the summary line the command prints.</summary>
public sealed record SeedSummary
{
    public required string Dataset { get; init; }
    public required string TileMatrixSet { get; init; }
    public required int MinZoom { get; init; }
    public required int MaxZoom { get; init; }
    public required string Target { get; init; }

    /// <summary>Tiles of the TileMatrixSet touching the box, at every zoom.</summary>
    public long Planned { get; init; }
    public long Written { get; init; }

    /// <summary>Folder target: tiles whose file was there already (from an earlier run).</summary>
    public long Present { get; init; }

    /// <summary>Tiles in the box but entirely outside the data's bounds: not rendered.</summary>
    public long Outside { get; init; }

    /// <summary>Tiles the target would not keep (the cache's entry size limit).</summary>
    public long NotKept { get; init; }
    public long Bytes { get; init; }
    public TimeSpan Elapsed { get; init; }

    /// <summary>True when cancelled before every tile was done.</summary>
    public bool Interrupted { get; init; }

    /// <summary>A word on the target's own result (PMTiles: entries and distinct contents).</summary>
    public string? Note { get; init; }

    public double TilesPerSecond => Elapsed > TimeSpan.Zero ? (Written + Present + Outside + NotKept) / Elapsed.TotalSeconds : 0;

    public override string ToString()
    {
        var ic = System.Globalization.CultureInfo.InvariantCulture;
        string head = Interrupted ? "interrupted" : "seeded";
        string notKept = NotKept > 0 ? string.Create(ic, $", {NotKept} too large for the cache") : "";
        string note = Note is null ? "" : "; " + Note;
        return string.Create(ic,
            $"{head} {Dataset} {TileMatrixSet} zooms {MinZoom}-{MaxZoom} to {Target}: {Planned} tiles planned, {Written} written ({Bytes} bytes), {Present} already present (skipped), {Outside} outside the data (skipped){notKept}{note}; {Elapsed.TotalSeconds:0.0} s, {TilesPerSecond:0.0} tiles/s");
    }
}
