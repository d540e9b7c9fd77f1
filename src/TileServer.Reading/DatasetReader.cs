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

    /// <summary>The planes a request reads (validates variables, <c>sel</c> and <c>bidx</c>).</summary>
    public IReadOnlyList<BandSource> Bands(ReadRequest request)
        => BandSelection.Resolve(Dataset, Definition.DefaultVariable, request.Variables.Count == 0 || request.Variables[0] == DefaultVariable ? Definition.Rendering.Bidx : [], request);

    public ResamplingMethod Resampling(ReadRequest request) => request.Resampling ?? Definition.Rendering.Resampling ?? ResamplingMethod.Nearest;

    /// <summary>A tile of a TileMatrixSet, <paramref name="size"/> pixels a side.</summary>
    public async ValueTask<RasterData> TileAsync(TileMatrixSet tms, TileMatrix matrix, long col, long row, int size, ReadRequest request, CancellationToken cancellationToken)
    {
        var bands = Bands(request);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await _services.Raster.ReadTileAsync(Dataset, bands, tms, matrix, col, row, size, Resampling(request), cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request);
    }

    /// <summary>Any area in any CRS at any size (up to <see cref="RasterReader.MaxEdge"/> a side).</summary>
    public async ValueTask<RasterData> PartAsync(RasterArea area, ReadRequest request, CancellationToken cancellationToken)
    {
        var bands = Bands(request);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await _services.Raster.ReadAsync(Dataset, bands, area, Resampling(request), null, cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request);
    }

    /// <summary>The whole variable in its native grid, north up, at most <paramref name="maxSize"/> pixels on the longer edge.</summary>
    public async ValueTask<RasterData> PreviewAsync(int maxSize, ReadRequest request, CancellationToken cancellationToken)
    {
        var bands = Bands(request);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await PreviewReader.ReadAsync(Dataset, bands, Math.Clamp(maxSize, 1, _services.Options.MaxPreviewSize), cancellationToken).ConfigureAwait(false);
        return Finish(data, diagnostics, request);
    }

    /// <summary>Decoded values at lon/lat (WGS 84) for the requested variables (all by default) and dimension values.</summary>
    public ValueTask<PointValues> PointAsync(double lon, double lat, ReadRequest request, CancellationToken cancellationToken)
        => PointQuery.ReadAsync(Dataset, lon, lat, request, _services.Options.MaxPointEntries, _services.Crs, cancellationToken);

    /// <summary>Summary statistics of a variable (coarsest level), computed once per dataset version.</summary>
    public Task<VariableStatistics?> StatisticsAsync(string variable, CancellationToken cancellationToken)
        => _services.Statistics.GetAsync(Dataset, Version, BandSelection.RequireVariable(Dataset, variable).Name, cancellationToken);

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

        var stretch = stats.P98 > stats.P2 ? new Stretch(stats.P2, stats.P98) : stats.Max > stats.Min ? new Stretch(stats.Min, stats.Max) : new Stretch(stats.Min - 0.5, stats.Min + 0.5);
        return new StyleDefaults([stretch], colormap, StyleDefaults.FromStatistics);
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
