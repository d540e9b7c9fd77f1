namespace TileServer.Reading.Catalog;

/// <summary>
/// A dataset as configuration states it (<c>TileServer:Datasets:{id}</c>, or a catalog file): text as written, bound
/// by the configuration system. <see cref="DatasetDefinition.Parse"/> turns it into a validated definition once.
/// </summary>
public sealed record DatasetOptions : DatasetSettings
{
    /// <summary>A folder, <c>file://</c>, <c>http(s)://</c> or <c>s3://bucket/prefix</c> URL of a Zarr store or Icechunk repository.</summary>
    public string Path { get; init; } = "";

    /// <summary>
    /// <c>zarr</c> or <c>icechunk</c>; when absent, a <see cref="Path"/> laid out as an Icechunk repository is read as one
    /// and anything else as Zarr.
    /// </summary>
    public string? Store { get; init; }

    /// <summary>Icechunk only: <c>branch:NAME</c> (default <c>branch:main</c>), <c>tag:NAME</c> or a snapshot id.</summary>
    public string? Ref { get; init; }

    /// <summary>Default rendering for requests that do not say otherwise.</summary>
    public RenderingOptions Rendering { get; init; } = new();
}

/// <summary>
/// What configuration says about a dataset that is served as written, with no parsing: how it is titled and credited,
/// which variables are served, and the CRS and nodata that override its metadata. <see cref="DatasetOptions"/> binds
/// these settings and <see cref="DatasetDefinition"/> keeps them.
/// </summary>
public abstract record DatasetSettings
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Attribution { get; init; }

    /// <summary>Variable rendered when a request names none.</summary>
    public string? DefaultVariable { get; init; }

    /// <summary>Variables to serve; required for stores without consolidated metadata.</summary>
    public IReadOnlyList<string>? Variables { get; init; }

    /// <summary>Overrides the CRS found in the metadata (code, URI or WKT).</summary>
    public string? Crs { get; init; }

    /// <summary>A stored value meaning "no data", in addition to the metadata's fill values.</summary>
    public double? Nodata { get; init; }
}

/// <summary>A dataset's default rendering as configured (text; parsed and checked at startup).</summary>
public sealed record RenderingOptions
{
    /// <summary>"min,max" (one pair per band, separated by ';'), e.g. "-2,35".</summary>
    public string? Rescale { get; init; }
    public string? ColormapName { get; init; }
    public string? Resampling { get; init; }

    /// <summary>1-based band indices for multi-band variables, e.g. "3,2,1".</summary>
    public string? Bidx { get; init; }
}
