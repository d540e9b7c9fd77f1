using TileServer.GeoZarr;
using TileServer.Reading.Catalog;
using TileServer.Reading.Expressions;
using TileServer.Reading.Point;
using TileServer.Reading.Preview;
using TileServer.Reading.Raster;
using TileServer.Reading.Selection;
using TileServer.Reading.Statistics;
using TileServer.Reading.Style;
using TileServer.Tiling;

namespace TileServer.Reading;

/// <summary>
/// The one way into an open dataset's data. Endpoints parse a request into a <see cref="ReadRequest"/>, ask for a
/// tile, an area, a preview or a point, and render what comes back; band selection, nodata, level choice, default
/// stretch and statistics all happen here. Immutable and shared by all requests for one dataset version.
/// </summary>
public sealed partial class DatasetReader
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

    /// <summary>The planes a request reads (validates variables, <c>sel</c>, <c>bidx</c> and the names of an expression).</summary>
    public IReadOnlyList<BandSource> Bands(ReadRequest request)
        => request.Expression is null
            ? BandSelection.Resolve(Dataset, Definition.DefaultVariable, request.Variables.Count == 0 || request.Variables[0] == DefaultVariable ? Definition.Rendering.Bidx : [], request)
            : Bind(request).Sources;

    /// <summary>How many bands a read answers with: the expression's outputs, else the planes read.</summary>
    public int OutputBandCount(ReadRequest request) => request.Expression?.Outputs.Count ?? Bands(request).Count;

    /// <summary>The request's expression bound to this dataset's variables (400 for unknown names).</summary>
    public BoundExpression Bind(ReadRequest request)
        => ExpressionBinding.Bind(request.Expression ?? throw new ArgumentException("the request has no expression", nameof(request)), Dataset, DefaultVariable, request);

    private (IReadOnlyList<BandSource> Sources, BoundExpression? Expression) Plan(ReadRequest request)
    {
        SelectionSteps.RequireSingle(request);
        if (request.Expression is null)
        {
            return (Bands(request), null);
        }

        var bound = Bind(request);
        return (bound.Sources, bound);
    }

    /// <summary>The request's resampling, else nearest for categorical data (a class must not be averaged), else the configured default, else nearest.</summary>
    public ResamplingMethod Resampling(ReadRequest request)
        => request.Resampling ?? (Categories(request) is not null ? ResamplingMethod.Nearest : Definition.Rendering.Resampling ?? ResamplingMethod.Nearest);

    /// <summary>The classes of a single-band read of a categorical variable (CF <c>flag_values</c>), else null.</summary>
    public IReadOnlyList<CategoryClass>? Categories(ReadRequest request)
    {
        if (request.Expression is not null)
        {
            return null;
        }

        var bands = Bands(request);
        return bands.Count == 1 ? CategoryClasses.Of(BandSelection.RequireVariable(Dataset, bands[0].Variable)) : null;
    }

    /// <summary>A tile of a TileMatrixSet, <paramref name="size"/> pixels a side.</summary>
    public async ValueTask<RasterData> TileAsync(TileMatrixSet tms, TileMatrix matrix, long col, long row, int size, ReadRequest request, CancellationToken cancellationToken)
    {
        var (bands, expression) = Plan(request);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await WithinDeadlineAsync(diagnostics, ct => _services.Raster.ReadTileAsync(Dataset, bands, tms, matrix, col, row, size, Resampling(request), ct), cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request, expression);
    }

    /// <summary>Any area in any CRS at any size (up to <see cref="RasterReader.MaxEdge"/> a side).</summary>
    public async ValueTask<RasterData> PartAsync(RasterArea area, ReadRequest request, CancellationToken cancellationToken)
    {
        var (bands, expression) = Plan(request);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await WithinDeadlineAsync(diagnostics, ct => _services.Raster.ReadAsync(Dataset, bands, area, Resampling(request), null, ct), cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request, expression);
    }

    /// <summary>The whole variable in its native grid, north up, at most <paramref name="maxSize"/> pixels on the longer edge.</summary>
    public async ValueTask<RasterData> PreviewAsync(int maxSize, ReadRequest request, CancellationToken cancellationToken)
    {
        var (bands, expression) = Plan(request);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await WithinDeadlineAsync(diagnostics, ct => PreviewReader.ReadAsync(Dataset, bands, Math.Clamp(maxSize, 1, _services.Options.MaxPreviewSize), ct), cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request, expression);
    }

    /// <summary>Decoded values at lon/lat (WGS 84) for the requested variables (all by default) and dimension values.</summary>
    public async ValueTask<PointValues> PointAsync(double lon, double lat, ReadRequest request, CancellationToken cancellationToken)
    {
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        return await WithinDeadlineAsync(diagnostics, ct => request.Expression is null
            ? PointQuery.ReadAsync(Dataset, lon, lat, request, _services.Options.MaxPointEntries, _services.Crs, ct)
            : PointQuery.ReadExpressionAsync(Dataset, lon, lat, Bind(request), request.Nodata, _services.Crs, ct), cancellationToken).ConfigureAwait(false);
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
            StatisticsStatus.Ready => new DefaultStretch(state.Statistics!.DefaultStretch(), StyleDefaults.FromStatistics, "ready", DescribeStatistics(state.Statistics!), state.Statistics),
            StatisticsStatus.NoData => new DefaultStretch(null, StyleDefaults.None, "ready", "the sampled chunks hold no valid value", null),
            StatisticsStatus.Pending => new DefaultStretch(null, StyleDefaults.Pending, "pending", FallbackNote, null),
            _ => new DefaultStretch(null, StyleDefaults.Unavailable, "unavailable", $"{state.Error}; tried again later. {FallbackNote}", null),
        };
    }

    /// <summary>What tiles do while the statistics are not ready.</summary>
    public const string FallbackNote = "until the statistics are ready, each image is stretched by the 2nd-98th percentiles of its own values and is not cacheable";

    /// <summary>
    /// The stretch and colormap for a request that did not style them: for an expression, the 2–98 percentiles of
    /// its values over a small preview (computed once per dataset version and expression); otherwise as for its bands.
    /// </summary>
    public async ValueTask<StyleDefaults> StyleDefaultsAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        if (request.Expression is null)
        {
            return await StyleDefaultsAsync(Bands(request), cancellationToken).ConfigureAwait(false);
        }

        var bound = Bind(request);
        string? colormap = DefaultColormapName(request);
        string key = "expr:" + request.Expression.Canonical + "|" + string.Join("|", bound.Sources.Select(s => s.Variable + ":" + string.Join(",", s.OtherIndices)));
        var stats = await _services.Statistics.GetAsync(Dataset, Version, key, async ct =>
        {
            using var preview = await PreviewAsync(256, request with { Nodata = null }, ct).ConfigureAwait(false);
            return VariableStatistics.Of(preview.Span, preview.LevelPath);
        }, cancellationToken).ConfigureAwait(false);
        if (stats is null)
        {
            return new StyleDefaults([], colormap, StyleDefaults.None);
        }

        return new StyleDefaults([stats.DefaultStretch()], colormap, StyleDefaults.FromStatistics);
    }

    /// <summary>The colormap of a request that did not name one: a single-band expression gets viridis (or the configured map).</summary>
    public string? DefaultColormapName(ReadRequest request)
        => request.Expression is null ? DefaultColormapName(Bands(request))
            : request.Expression.Outputs.Count == 1 ? Definition.Rendering.ColormapName ?? "viridis" : null;

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
            StatisticsStatus.Ready => new StyleDefaults([state.Statistics!.DefaultStretch()], colormap, StyleDefaults.FromStatistics),
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

    /// <summary>Attaches the read's diagnostics, masks the request's extra nodata, then evaluates the expression (if any) over the planes read.</summary>
    private static RasterData Finish(RasterData data, ReadDiagnostics diagnostics, ReadRequest request, BoundExpression? expression)
    {
        data.Diagnostics = diagnostics;
        if (request.Nodata is { } nodata)
        {
            data.MaskValue(nodata);
        }

        if (expression is null)
        {
            return data;
        }

        using (data)
        {
            return ExpressionRaster.Evaluate(data, expression);
        }
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
