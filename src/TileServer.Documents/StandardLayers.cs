using System.Collections.Concurrent;
using System.Globalization;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading;
using TileServer.Reading.Catalog;
using TileServer.Reading.Selection;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Documents;

/// <summary>
/// A non-spatial dimension a layer exposes (WMTS <c>Dimension</c>): time is called <c>Time</c> (what WMTS clients
/// expect), others keep their name. Values are the coordinate labels (ISO 8601 for time) or 0-based indices.
/// </summary>
public sealed record LayerDimension(string Name, string Identifier, IReadOnlyList<string> Values, string Default, bool IsTime, string? Units);

/// <summary>
/// One renderable picture of a dataset: a variable (WMTS layer id <c>{dataset}.{variable}</c>). A composite layer
/// (RGB(A) from a band dimension) has only the default style; a single-band layer also has one style per colormap.
/// </summary>
public sealed record StandardLayer(string Id, DatasetReader Reader, string Variable, bool IsComposite, IReadOnlyList<LayerDimension> Dimensions)
{
    public const string DefaultStyle = "default";

    public string Title => Reader.Title + " — " + (Reader.Dataset.FindVariable(Variable)?.LongName ?? Variable);
}

/// <summary>The TMS 2.0 <c>TileMatrixLimits</c> of one matrix.</summary>
public sealed record TileMatrixLimits(string TileMatrix, long MinTileRow, long MaxTileRow, long MinTileCol, long MaxTileCol);

/// <summary>Where a dataset lies in one TileMatrixSet: its bounds in the TMS CRS (GIS order) and per-matrix limits.</summary>
public sealed record TileSetCoverage(TileMatrixSet Tms, Extent Bounds, IReadOnlyList<TileMatrixLimits> Limits);

/// <summary>
/// Layers, usable TileMatrixSets and their limits for the standards endpoints (WMTS, OGC API - Tiles).
/// Coverage is computed once per dataset version and TileMatrixSet.
/// </summary>
public sealed class StandardLayerCatalog
{
    private const double MaxMercatorLatitude = 85.0511287798066;
    private static readonly string[] AlwaysOffered = [WellKnownTileMatrixSets.WebMercatorQuad, WellKnownTileMatrixSets.WorldCrs84Quad];

    private readonly CrsRegistry _crs;
    private readonly ColormapRegistry _colormaps;
    private readonly ConcurrentDictionary<(string Version, string Dataset, string Tms), TileSetCoverage> _coverage = new();

    public StandardLayerCatalog(CrsRegistry crs, ColormapRegistry colormaps, WmtsOptions options)
    {
        _crs = crs;
        _colormaps = colormaps;
        var styles = options.Styles ?? WmtsOptions.DefaultStyles;
        ColormapStyles = styles.Contains("*") ? colormaps.Names
            : styles.Where(s => s != StandardLayer.DefaultStyle && colormaps.TryGet(s, out _)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>Advertised style identifiers of a single-band layer besides <see cref="StandardLayer.DefaultStyle"/>: colormap names.</summary>
    public IReadOnlyList<string> ColormapStyles { get; }

    public bool IsKnownStyle(StandardLayer layer, string style)
        => style == StandardLayer.DefaultStyle || (!layer.IsComposite && _colormaps.TryGet(style, out _));

    /// <summary>The layers of an open dataset, default variable first.</summary>
    public static IReadOnlyList<StandardLayer> LayersOf(DatasetReader reader)
    {
        var ds = reader.Dataset;
        string defaultVariable = reader.DefaultVariable;
        var names = new List<string> { defaultVariable };
        names.AddRange(ds.VariableNames.Where(n => n != defaultVariable));
        return names.Select(n => BuildLayer(reader, n)).ToArray();
    }

    public static StandardLayer BuildLayer(DatasetReader reader, string variableName)
    {
        var ds = reader.Dataset;
        var variable = ds.FindVariable(variableName)!;
        var bands = reader.Bands(new ReadRequest { Variables = [variableName] });
        bool composite = bands.Count > 1;
        var others = variable.OtherDimensions.ToList();
        var dims = new List<LayerDimension>();
        for (int i = 0; i < others.Count; i++)
        {
            var d = others[i];
            // The band dimension of a composite is consumed by the composition, not selectable.
            bool composed = composite && bands.Select(b => b.OtherIndices[i]).Distinct().Count() > 1;
            if (composed || (d.Size <= 1 && !d.IsTime))
            {
                continue;
            }

            IReadOnlyList<string> values = d.Labels is { Count: > 0 } labels
                ? labels
                : Enumerable.Range(0, (int)Math.Min(d.Size, 10_000)).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
            dims.Add(new LayerDimension(d.Name, d.IsTime ? "Time" : d.Name, values, values[0], d.IsTime, d.IsTime ? "ISO8601" : d.Units));
        }

        return new StandardLayer(reader.Id + "." + variableName, reader, variableName, composite, dims);
    }

    /// <summary>
    /// The listed value of a layer dimension that a request names: the default when absent or <c>default</c>; the
    /// value itself when listed; else the listed value it equals when written differently (an ISO 8601 time with
    /// another precision or offset, a number); null when it names none.
    /// </summary>
    public static string? ResolveDimensionValue(StandardLayer layer, LayerDimension dimension, string? requested)
    {
        if (requested is not { Length: > 0 } value || value.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return dimension.Default;
        }

        if (dimension.Values.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        var info = layer.Reader.Dataset.FindVariable(layer.Variable)?.OtherDimensions.FirstOrDefault(d => d.Name == dimension.Name);
        if (info is null)
        {
            return null;
        }

        try
        {
            long index = DimensionIndex.Of(info, value, nearest: false);
            return index < dimension.Values.Count ? dimension.Values[(int)index] : null;
        }
        catch (BadRequestException)
        {
            return null;
        }
    }

    /// <summary>Finds a layer by id: the longest dataset id that prefixes it, then the variable.</summary>
    public static StandardLayer? FindLayer(IEnumerable<DatasetEntry> entries, string layerId)
    {
        foreach (var reader in entries.Select(e => e.Reader).OfType<DatasetReader>().Where(r => layerId.StartsWith(r.Id + ".", StringComparison.Ordinal)).OrderByDescending(r => r.Id.Length))
        {
            string variable = layerId[(reader.Id.Length + 1)..];
            if (reader.Dataset.FindVariable(variable) is not null)
            {
                return BuildLayer(reader, variable);
            }
        }

        return null;
    }

    /// <summary>
    /// The TileMatrixSets offered for a dataset: WebMercatorQuad, WorldCRS84Quad and the sets in the data's native
    /// CRS (e.g. its UTM zone). Other registered sets still answer when asked for by id.
    /// </summary>
    public IReadOnlyList<TileMatrixSet> OfferedSets(DatasetReader reader, bool topLeftOnly)
    {
        var ds = reader.Dataset;
        string? nativeCode = ds.Finest.Grid.Crs.Code;
        var result = new List<TileMatrixSet>();
        foreach (var tms in reader.TileMatrixSets.All)
        {
            bool offered = AlwaysOffered.Contains(tms.Id)
                || tms.Id == ds.TileMatrixSetId
                || (nativeCode is not null && nativeCode != "EPSG:4326" && nativeCode != "OGC:CRS84" && tms.Crs.Code == nativeCode);
            if (offered && (!topLeftOnly || tms.TileMatrices.All(m => !m.IsBottomLeft && m.VariableMatrixWidths is null)))
            {
                result.Add(tms);
            }
        }

        return result.OrderBy(t => Array.IndexOf(AlwaysOffered, t.Id) is var i && i >= 0 ? i : AlwaysOffered.Length).ToArray();
    }

    /// <summary>Bounds and limits of the dataset in a TileMatrixSet, for matrices up to the one matching the data's resolution.</summary>
    public TileSetCoverage Coverage(DatasetReader reader, TileMatrixSet tms)
        => _coverage.GetOrAdd((reader.Version, reader.Id, tms.Id), _ => ComputeCoverage(reader, tms));

    private TileSetCoverage ComputeCoverage(DatasetReader reader, TileMatrixSet tms)
    {
        var geo = reader.Geography;
        var native = reader.Dataset.Finest.Grid;
        // In the data's own CRS the grid bounds are exact; elsewhere, the lon/lat bounds projected.
        var bounds = native.Crs.Code is { } code && code == tms.Crs.Code && !native.WrapsLongitude
            ? native.Bounds
            : ProjectBounds(tms.Id == WellKnownTileMatrixSets.WebMercatorQuad ? geo.MercatorClampedBounds : ClampLatitude(geo.Wgs84Bounds, tms), tms.Crs);
        var (_, max) = geo.ZoomRange(tms);
        var limits = new List<TileMatrixLimits>();
        for (int i = 0; i <= Math.Min(max, tms.TileMatrices.Count - 1); i++)
        {
            var m = tms.TileMatrices[i];
            var (minCol, minRow, maxCol, maxRow) = tms.TileRange(m, bounds);
            if (minCol <= maxCol && minRow <= maxRow)
            {
                limits.Add(new TileMatrixLimits(m.Id, minRow, maxRow, minCol, maxCol));
            }
        }

        return new TileSetCoverage(tms, bounds, limits);
    }

    private static Extent ClampLatitude(Extent wgs84, TileMatrixSet tms)
        => tms.Crs.IsGeographic ? wgs84 : wgs84 with { MinY = Math.Max(wgs84.MinY, -MaxMercatorLatitude), MaxY = Math.Min(wgs84.MaxY, MaxMercatorLatitude) };

    /// <summary>Lon/lat bounds in another CRS, from a dense sampling of the edges (projections curve them).</summary>
    public Extent ProjectBounds(Extent wgs84, CrsInfo target)
    {
        if (target.IsGeographic)
        {
            return wgs84;
        }

        return ExtentProjection.Transform(wgs84, _crs.CreateTransform(_crs.FromCode("EPSG:4326"), target), interior: true)
            ?? new Extent(double.NaN, double.NaN, double.NaN, double.NaN);
    }

    /// <summary>The WMTS/OWS form of a CRS: <c>urn:ogc:def:crs:EPSG::3857</c>, <c>urn:ogc:def:crs:OGC:1.3:CRS84</c>.</summary>
    public static string CrsUrn(TileMatrixSet tms)
    {
        string uri = tms.CrsUri;
        const string EpsgPrefix = "http://www.opengis.net/def/crs/EPSG/0/";
        if (uri.StartsWith(EpsgPrefix, StringComparison.Ordinal))
        {
            return "urn:ogc:def:crs:EPSG::" + uri[EpsgPrefix.Length..];
        }

        if (uri.Contains("OGC/1.3/CRS84", StringComparison.Ordinal) || uri.Contains("OGC/0/CRS84", StringComparison.Ordinal))
        {
            return "urn:ogc:def:crs:OGC:1.3:CRS84";
        }

        return tms.Crs.Code is { } code && code.StartsWith("EPSG:", StringComparison.Ordinal) ? "urn:ogc:def:crs:EPSG::" + code[5..] : uri;
    }
}
