using TileServer.GeoZarr;
using TileServer.Reading.Catalog;
using TileServer.Reading.Point;
using TileServer.Reading.Preview;
using TileServer.Reading.Raster;
using TileServer.Reading.Selection;
using TileServer.Reading.Style;
using TileServer.Tiling;

namespace TileServer.Reading;

/// <summary>
/// The one way into an open dataset's data. Endpoints parse a request into a <see cref="ReadRequest"/>, ask for a
/// tile, an area, a preview or a point, and render what comes back; band selection, nodata, level choice, default
/// stretch and statistics all happen here. Immutable and shared by all requests for one dataset version.
/// </summary>
public sealed class DatasetReader
{
    private readonly ReaderServices _services;

    internal DatasetReader(DatasetDefinition definition, GeoDataset dataset, string version, DatasetGeography geography, DatasetTileMatrixSets tileMatrixSets, ReaderServices services, string? storeLocation = null)
    {
        Definition = definition;
        StoreLocation = storeLocation;
        Dataset = dataset;
        Version = version;
        Geography = geography;
        TileMatrixSets = tileMatrixSets;
        _services = services;
    }

    public string Id => Definition.Id;
    public DatasetDefinition Definition { get; }
    public GeoDataset Dataset { get; }

    /// <summary>Stable hash of everything the served bytes depend on (metadata and configuration); part of every ETag.</summary>
    public string Version { get; }

    public DatasetGeography Geography { get; }

    /// <summary>Where the dataset's store is (a path or a URL without credentials); null when not known.</summary>
    public string? StoreLocation { get; }

    /// <summary>The health of the dataset's store when it is a remote one the server tracks; null otherwise.</summary>
    public StoreHealthInfo? StoreHealth => StoreLocation is { } location ? _services.StoreHealth?.For(location) : null;

    /// <summary>The registered TileMatrixSets plus those this dataset declares.</summary>
    public DatasetTileMatrixSets TileMatrixSets { get; }

    public string Title => Dataset.Title;
    public string DefaultVariable => Definition.DefaultVariable ?? Dataset.VariableNames[0];

    /// <summary>The planes a request reads (validates variables, <c>sel</c> and <c>bidx</c>).</summary>
    public IReadOnlyList<BandSource> Bands(ReadRequest request)
        => BandSelection.Resolve(Dataset, Definition.DefaultVariable, request.Variables.Count == 0 || request.Variables[0] == DefaultVariable ? Definition.Rendering.Bidx : [], request);

    public ResamplingMethod Resampling(ReadRequest request) => request.Resampling ?? Definition.Rendering.Resampling ?? ResamplingMethod.Nearest;

    /// <summary>A tile of a TileMatrixSet, <paramref name="size"/> pixels a side.</summary>
    public async ValueTask<RasterData> TileAsync(TileMatrixSet tms, TileMatrix matrix, long col, long row, int size, ReadRequest request, CancellationToken cancellationToken)
    {
        var bands = Bands(request);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await WithinDeadlineAsync(diagnostics, ct => _services.Raster.ReadTileAsync(Dataset, bands, tms, matrix, col, row, size, Resampling(request), ct), cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request);
    }

    /// <summary>Any area in any CRS at any size (up to <see cref="RasterReader.MaxEdge"/> a side).</summary>
    public async ValueTask<RasterData> PartAsync(RasterArea area, ReadRequest request, CancellationToken cancellationToken)
    {
        var bands = Bands(request);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await WithinDeadlineAsync(diagnostics, ct => _services.Raster.ReadAsync(Dataset, bands, area, Resampling(request), null, ct), cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request);
    }

    /// <summary>The whole variable in its native grid, north up, at most <paramref name="maxSize"/> pixels on the longer edge.</summary>
    public async ValueTask<RasterData> PreviewAsync(int maxSize, ReadRequest request, CancellationToken cancellationToken)
    {
        var bands = Bands(request);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await WithinDeadlineAsync(diagnostics, ct => PreviewReader.ReadAsync(Dataset, bands, Math.Clamp(maxSize, 1, _services.Options.MaxPreviewSize), ct), cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request);
    }

    /// <summary>Decoded values at lon/lat (WGS 84) for the requested variables (all by default) and dimension values.</summary>
    public async ValueTask<PointValues> PointAsync(double lon, double lat, ReadRequest request, CancellationToken cancellationToken)
    {
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        return await WithinDeadlineAsync(diagnostics, ct => PointQuery.ReadAsync(Dataset, lon, lat, request, _services.Options.MaxPointEntries, _services.Crs, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Summary statistics of a variable from a bounded read (the coarsest level when small, else a sample of its chunks),
    /// computed once per dataset version; waits for them. Null when the data holds no valid value.
    /// </summary>
    public Task<VariableStatistics?> StatisticsAsync(string variable, CancellationToken cancellationToken)
        => _services.Statistics.GetAsync(Dataset, Version, BandSelection.RequireVariable(Dataset, variable).Name, cancellationToken);

    /// <summary>Starts, in the background, what the first tiles will need: the statistics of the default variable when its stretch comes from them.</summary>
    public void StartBackgroundWork()
    {
        var variable = BandSelection.RequireVariable(Dataset, DefaultVariable);
        if (FixedStretch(variable) is null)
        {
            _services.Statistics.Peek(Dataset, Version, variable.Name);
        }
    }

    /// <summary>The default stretch of a variable as it stands now, and how it was obtained; never waits for statistics.</summary>
    public DefaultStretch DescribeDefaultStretch(string variableName)
    {
        var variable = BandSelection.RequireVariable(Dataset, variableName);
        if (FixedStretch(variable) is { } known)
        {
            return new DefaultStretch(known.Stretch, known.Source, "ready", known.Detail, null);
        }

        var state = _services.Statistics.Peek(Dataset, Version, variable.Name);
        return state.Status switch
        {
            StatisticsStatus.Ready => new DefaultStretch(FromStatistics(state.Statistics!), StyleDefaults.FromStatistics, "ready", DescribeStatistics(state.Statistics!), state.Statistics),
            StatisticsStatus.NoData => new DefaultStretch(null, StyleDefaults.None, "ready", "the sampled chunks hold no valid value", null),
            StatisticsStatus.Pending => new DefaultStretch(null, StyleDefaults.Pending, "pending", FallbackNote, null),
            _ => new DefaultStretch(null, StyleDefaults.Unavailable, "unavailable", $"{state.Error}; tried again later. {FallbackNote}", null),
        };
    }

    /// <summary>What tiles do while the statistics are not ready.</summary>
    public const string FallbackNote = "until the statistics are ready, each image is stretched by the 2nd-98th percentiles of its own values and is not cacheable";

    /// <summary>
    /// The stretch and colormap for bands a request did not style: configured values; else <c>valid_min/valid_max</c>;
    /// else the full range of 8-bit data; else the 2–98 percentiles of the statistics (computed in the background from a
    /// bounded read). A tile waits for statistics in progress at most <see cref="DefaultStretchOptions.Wait"/>; until
    /// they are ready (or when their data cannot be read) the result is the fallback (<see cref="StyleDefaults.IsFallback"/>).
    /// Colormap: configured, else viridis for single-band data that is not 8-bit imagery.
    /// </summary>
    public async ValueTask<StyleDefaults> StyleDefaultsAsync(IReadOnlyList<BandSource> bands, CancellationToken cancellationToken)
    {
        var variable = BandSelection.RequireVariable(Dataset, bands[0].Variable);
        string? colormap = DefaultColormapName(bands);
        if (FixedStretch(variable) is { } known)
        {
            return new StyleDefaults(known.Source == StyleDefaults.FromConfiguration ? Definition.Rendering.Rescale : [known.Stretch!.Value], colormap, known.Source);
        }

        // Only the statistics' own wait is bounded here; a read failing inside them never fails this tile.
        var state = await _services.Statistics.WaitAsync(Dataset, Version, variable.Name, _services.Stretch.Wait, cancellationToken).ConfigureAwait(false);
        return state.Status switch
        {
            StatisticsStatus.Ready => new StyleDefaults([FromStatistics(state.Statistics!)], colormap, StyleDefaults.FromStatistics),
            StatisticsStatus.NoData => new StyleDefaults([], colormap, StyleDefaults.None),
            StatisticsStatus.Pending => new StyleDefaults([], colormap, StyleDefaults.Pending),
            _ => new StyleDefaults([], colormap, StyleDefaults.Unavailable),
        };
    }

    /// <summary>A stretch known without reading data: configured, the CF valid range, or the range of 8-bit imagery.</summary>
    private (Stretch? Stretch, string Source, string Detail)? FixedStretch(GeoVariable variable)
    {
        if (Definition.Rendering.Rescale.Count > 0)
        {
            return (Definition.Rendering.Rescale[0], StyleDefaults.FromConfiguration, "TileServer:Datasets:" + Id + ":Rendering:Rescale");
        }

        var cf = variable.Cf;
        if (cf.ValidMin is { } vmin && cf.ValidMax is { } vmax && vmax > vmin)
        {
            double a = (vmin * cf.ScaleFactor) + cf.AddOffset, b = (vmax * cf.ScaleFactor) + cf.AddOffset;
            return (new Stretch(Math.Min(a, b), Math.Max(a, b)), StyleDefaults.FromValidRange, "valid_min/valid_max (or valid_range) of the variable, scaled");
        }

        if (VariableDescription.IsUInt8(variable) && cf.ScaleFactor == 1 && cf.AddOffset == 0)
        {
            return (new Stretch(0, 255), StyleDefaults.FromDataType, "the full range of 8-bit data");
        }

        return null;
    }

    private static Stretch FromStatistics(VariableStatistics stats)
        => stats.P98 > stats.P2 ? new Stretch(stats.P2, stats.P98) : stats.Max > stats.Min ? new Stretch(stats.Min, stats.Max) : new Stretch(stats.Min - 0.5, stats.Min + 0.5);

    private static string DescribeStatistics(VariableStatistics s)
    {
        string level = s.Level.Length == 0 ? "the only level" : $"level '{s.Level}'";
        string what = s.Method == "chunk sample" ? $"a sample of {s.ChunksRead} of the {s.ChunksInLevel} chunks of {level}" : $"all {s.ChunksRead} chunks of {level} (the coarsest)";
        string skipped = s.ChunksUnreadable > 0 ? $"; {s.ChunksUnreadable} unreadable chunk(s) left out" : "";
        return $"2nd-98th percentiles of {s.ValidCount} valid values from {what}{skipped}";
    }

    /// <summary>Runs a read under the read deadline; running out of time is a 502 naming the deadline, unlike the caller going away.</summary>
    private async ValueTask<T> WithinDeadlineAsync<T>(ReadDiagnostics diagnostics, Func<CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        var deadline = _services.Options.ReadDeadline;
        diagnostics.SetDeadline(deadline);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            return await read(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ReadDeadlineException(deadline);
        }
    }

    /// <summary>The colormap of single-band data that the request did not style: configured, else viridis unless the data is 8-bit.</summary>
    public string? DefaultColormapName(IReadOnlyList<BandSource> bands)
        => bands.Count != 1 ? null
            : Definition.Rendering.ColormapName ?? (VariableDescription.IsUInt8(BandSelection.RequireVariable(Dataset, bands[0].Variable)) ? null : "viridis");

    /// <summary>What <c>/datasets/{id}</c> shows of each variable, without exposing storage types.</summary>
    public VariableDescription Describe(string variable) => VariableDescription.Of(BandSelection.RequireVariable(Dataset, variable));

    private static RasterData Finish(RasterData data, ReadDiagnostics diagnostics, ReadRequest request)
    {
        data.Diagnostics = diagnostics;
        if (request.Nodata is { } nodata)
        {
            data.MaskValue(nodata);
        }

        return data;
    }
}

/// <summary>A variable's default stretch as <c>/datasets/{id}</c> shows it: the values (null until known), where they come from, and how.</summary>
/// <param name="Source">configuration, valid_range, data_type, statistics, none, pending or unavailable (see <see cref="StyleDefaults"/>).</param>
/// <param name="Status">ready, pending or unavailable.</param>
public sealed record DefaultStretch(Stretch? Value, string Source, string Status, string Detail, VariableStatistics? Statistics);

/// <summary>A read that did not finish within <see cref="ReaderOptions.ReadDeadline"/>.</summary>
public sealed class ReadDeadlineException : TileServerException
{
    public ReadDeadlineException(TimeSpan deadline)
        : base(FailureKind.StoreUnavailable, $"The data for this request could not be read within the deadline of {deadline.TotalSeconds:0.#} s; the store is slow or failing.")
    {
    }
}
