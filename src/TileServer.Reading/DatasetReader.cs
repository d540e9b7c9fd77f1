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

    internal DatasetReader(DatasetDefinition definition, GeoDataset dataset, string version, DatasetGeography geography, DatasetTileMatrixSets tileMatrixSets, ReaderServices services)
    {
        Definition = definition;
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
        var data = await _services.Raster.ReadTileAsync(Dataset, bands, tms, matrix, col, row, size, Resampling(request), cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request, expression);
    }

    /// <summary>Any area in any CRS at any size (up to <see cref="RasterReader.MaxEdge"/> a side).</summary>
    public async ValueTask<RasterData> PartAsync(RasterArea area, ReadRequest request, CancellationToken cancellationToken)
    {
        var (bands, expression) = Plan(request);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await _services.Raster.ReadAsync(Dataset, bands, area, Resampling(request), null, cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request, expression);
    }

    /// <summary>The whole variable in its native grid, north up, at most <paramref name="maxSize"/> pixels on the longer edge.</summary>
    public async ValueTask<RasterData> PreviewAsync(int maxSize, ReadRequest request, CancellationToken cancellationToken)
    {
        var (bands, expression) = Plan(request);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await PreviewReader.ReadAsync(Dataset, bands, Math.Clamp(maxSize, 1, _services.Options.MaxPreviewSize), cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request, expression);
    }

    /// <summary>Decoded values at lon/lat (WGS 84) for the requested variables (all by default) and dimension values.</summary>
    public ValueTask<PointValues> PointAsync(double lon, double lat, ReadRequest request, CancellationToken cancellationToken)
        => request.Expression is null
            ? PointQuery.ReadAsync(Dataset, lon, lat, request, _services.Options.MaxPointEntries, _services.Crs, cancellationToken)
            : PointQuery.ReadExpressionAsync(Dataset, lon, lat, Bind(request), request.Nodata, _services.Crs, cancellationToken);

    /// <summary>Summary statistics of a variable (coarsest level), computed once per dataset version.</summary>
    public Task<VariableStatistics?> StatisticsAsync(string variable, CancellationToken cancellationToken)
        => _services.Statistics.GetAsync(Dataset, Version, BandSelection.RequireVariable(Dataset, variable).Name, cancellationToken);

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
    /// else the full range of 8-bit data; else the 2–98 percentiles of the coarsest level. Colormap: configured, else
    /// viridis for single-band data that is not 8-bit imagery.
    /// </summary>
    public async ValueTask<StyleDefaults> StyleDefaultsAsync(IReadOnlyList<BandSource> bands, CancellationToken cancellationToken)
    {
        var variable = BandSelection.RequireVariable(Dataset, bands[0].Variable);
        bool isByteImagery = VariableDescription.IsUInt8(variable) && variable.Cf.ScaleFactor == 1 && variable.Cf.AddOffset == 0;
        string? colormap = DefaultColormapName(bands);
        if (Definition.Rendering.Rescale.Count > 0)
        {
            return new StyleDefaults(Definition.Rendering.Rescale, colormap, StyleDefaults.FromConfiguration);
        }

        var cf = variable.Cf;
        if (cf.ValidMin is { } vmin && cf.ValidMax is { } vmax && vmax > vmin)
        {
            double a = (vmin * cf.ScaleFactor) + cf.AddOffset, b = (vmax * cf.ScaleFactor) + cf.AddOffset;
            return new StyleDefaults([new Stretch(Math.Min(a, b), Math.Max(a, b))], colormap, StyleDefaults.FromValidRange);
        }

        if (isByteImagery)
        {
            return new StyleDefaults([new Stretch(0, 255)], colormap, StyleDefaults.FromDataType);
        }

        VariableStatistics? stats;
        try
        {
            stats = await StatisticsAsync(variable.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (TileServerException ex) when (ex.Kind is FailureKind.InvalidData or FailureKind.StoreUnavailable)
        {
            // A chunk the statistics need is unreadable: that must fail only the tiles that need it, not every tile.
            return new StyleDefaults([], colormap, StyleDefaults.Unavailable);
        }

        if (stats is null)
        {
            return new StyleDefaults([], colormap, StyleDefaults.None);
        }

        return new StyleDefaults([stats.DefaultStretch()], colormap, StyleDefaults.FromStatistics);
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
