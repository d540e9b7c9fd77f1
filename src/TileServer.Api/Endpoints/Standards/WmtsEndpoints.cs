using System.Globalization;
using System.Text;
using Microsoft.Extensions.Primitives;
using TileServer.Api.Catalog;
using TileServer.Api.Errors;
using TileServer.Api.Http;
using TileServer.Delivery.Tiles;
using TileServer.Documents;
using TileServer.Documents.Requests;
using TileServer.Documents.Wms;
using TileServer.Reading;
using TileServer.Reading.Catalog;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Api.Endpoints.Standards;

/// <summary>
/// WMTS 1.0.0: KVP at <c>/wmts</c> (GetCapabilities, GetTile; parameter names case-insensitive) and RESTful at
/// <c>/wmts/1.0.0/WMTSCapabilities.xml</c> and <c>/wmts/1.0.0/{layer}/{style}[/{dim}...]/{tms}/{matrix}/{row}/{col}.{ext}</c>.
/// Tiles go through <see cref="TileHandler"/> like every other tile.
/// </summary>
public sealed class WmtsHandler
{
    private const string XmlType = "application/xml";

    /// <summary>GetTile's KVP parameters (names case-insensitive, as OGC KVP encoding says).</summary>
    private static readonly string[] KvpParameters = ["SERVICE", "REQUEST", "VERSION", "LAYER", "STYLE", "FORMAT", "TILEMATRIXSET", "TILEMATRIX", "TILEROW", "TILECOL"];

    /// <summary>GetFeatureInfo's KVP parameters beyond GetTile's.</summary>
    private static readonly string[] FeatureInfoParameters = ["I", "J", "INFOFORMAT"];

    private readonly DatasetCatalog _catalog;
    private readonly StandardLayerCatalog _layers;
    private readonly WmtsCapabilitiesWriter _writer;
    private readonly TileHandler _tiles;
    private readonly HttpCaching _caching;
    private readonly WmsHandler _wms;
    private readonly WmsCrs _crs;
    private readonly ILogger<WmtsHandler> _log;

    public WmtsHandler(DatasetCatalog catalog, StandardLayerCatalog layers, WmtsCapabilitiesWriter writer, TileHandler tiles, HttpCaching caching, WmsHandler wms, WmsCrs crs,
        ILogger<WmtsHandler> log)
    {
        _catalog = catalog;
        _layers = layers;
        _writer = writer;
        _tiles = tiles;
        _caching = caching;
        _wms = wms;
        _crs = crs;
        _log = log;
    }

    /// <summary>
    /// <c>/wmts</c> KVP; a WMS request there (QGIS given the bare address asks <c>SERVICE=WMS&amp;REQUEST=GetCapabilities</c>)
    /// is answered by the WMS, whose capabilities point the client at <c>/wms</c>.
    /// </summary>
    public Task<IResult> KvpOrWmsAsync(HttpContext context)
        => context.Request.Query.TryGetValue("SERVICE", out var service) && service.Count == 1 && string.Equals(service[0]?.Trim(), "WMS", StringComparison.OrdinalIgnoreCase)
            ? _wms.HandleAsync(context)
            : KvpAsync(context);

    public Task<IResult> KvpAsync(HttpContext context) => GuardAsync(context, () =>
    {
        var q = context.Request.Query;
        string service = Required(q, "SERVICE");
        if (!service.Equals("WMTS", StringComparison.OrdinalIgnoreCase))
        {
            throw OwsException.Invalid("SERVICE", $"SERVICE must be WMTS, not '{service}'.");
        }

        string request = Required(q, "REQUEST");
        if (request.Equals("GetCapabilities", StringComparison.OrdinalIgnoreCase))
        {
            if (Optional(q, "ACCEPTVERSIONS") is { } versions && !versions.Split(',').Any(v => v.Trim() == "1.0.0"))
            {
                throw new OwsException(StatusCodes.Status400BadRequest, "VersionNegotiationFailed", "ACCEPTVERSIONS", $"Only version 1.0.0 is supported, not '{versions}'.");
            }

            return CapabilitiesAsync(context);
        }

        bool featureInfo = request.Equals("GetFeatureInfo", StringComparison.OrdinalIgnoreCase);
        if (!featureInfo && !request.Equals("GetTile", StringComparison.OrdinalIgnoreCase))
        {
            throw OwsException.Invalid("REQUEST", $"REQUEST '{request}' is not a WMTS operation; use GetCapabilities, GetTile or GetFeatureInfo.");
        }

        // VERSION is mandatory in the standard; accepted when absent (several clients omit it), checked when given.
        if (Optional(q, "VERSION") is { } version && version != "1.0.0")
        {
            throw OwsException.Invalid("VERSION", $"VERSION must be 1.0.0, not '{version}'.");
        }

        string layerId = Required(q, "LAYER");
        string style = Optional(q, "STYLE") ?? (q.ContainsKey("STYLE") ? StandardLayer.DefaultStyle : throw OwsException.Missing("STYLE"));
        string format = Required(q, "FORMAT");
        string tmsId = Required(q, "TILEMATRIXSET");
        string matrixId = Required(q, "TILEMATRIX");
        string row = Required(q, "TILEROW");
        string col = Required(q, "TILECOL");
        if (!TryParseMime(format, out var imageFormat))
        {
            throw OwsException.Invalid("FORMAT", $"FORMAT '{format}' is not offered; use image/png, image/webp or image/jpeg.");
        }

        if (featureInfo)
        {
            string infoFormat = PointDocuments.ParseInfoFormat(Required(q, "INFOFORMAT"))
                ?? throw OwsException.Invalid("INFOFORMAT", $"INFOFORMAT '{Optional(q, "INFOFORMAT")}' is not offered; use {string.Join(", ", PointDocuments.InfoFormats)}.");
            return FeatureInfoAsync(context, layerId, style, tmsId, matrixId, row, col, Required(q, "J"), Required(q, "I"), infoFormat, d => Optional(q, d.Identifier));
        }

        return TileAsync(context, layerId, style, imageFormat, tmsId, matrixId, row, col, d => Optional(q, d.Identifier));
    });

    public Task<IResult> RestCapabilitiesAsync(HttpContext context) => GuardAsync(context, () => CapabilitiesAsync(context));

    /// <summary>
    /// <c>{layer}/{style}[/{dim}...]/{tms}/{matrix}/{row}/{col}.{ext}</c>, one dimension segment per layer Dimension;
    /// with <c>/{J}/{I}.{json|html|txt}</c> after the column, GetFeatureInfo.
    /// </summary>
    public Task<IResult> RestTileAsync(HttpContext context, string path) => GuardAsync(context, async () =>
    {
        var segments = path.Split('/');
        if (segments.Length < 6)
        {
            throw OwsException.Invalid("TILECOL", $"'{path}' is not a tile path like {{layer}}/{{style}}/{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.png.");
        }

        var entries = await _catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        var layer = StandardLayerCatalog.FindLayer(entries, segments[0]) ?? throw UnknownLayer(segments[0]);
        int expected = 6 + layer.Dimensions.Count;
        if (segments.Length == expected + 2)
        {
            return await RestFeatureInfoAsync(context, layer, segments).ConfigureAwait(false);
        }

        if (segments.Length != expected)
        {
            throw OwsException.Invalid("TILECOL", $"Layer '{layer.Id}' tiles have {expected} path segments ({{layer}}/{{style}}{string.Concat(layer.Dimensions.Select(d => "/{" + d.Identifier + "}"))}/{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.ext), not {segments.Length}.");
        }

        string last = segments[^1];
        int dot = last.LastIndexOf('.');
        if (dot <= 0 || !ImageFormats.TryParse(last[(dot + 1)..], out var format) || format == ImageFormat.Npy)
        {
            throw OwsException.Invalid("FORMAT", $"'{last}' is not a tile column with an extension .png, .webp or .jpg.");
        }

        var dims = RestDimensions(layer, segments);
        int t = 2 + layer.Dimensions.Count;
        return await TileCoreAsync(context, layer, Uri.UnescapeDataString(segments[1]), format, segments[t], segments[t + 1], segments[t + 2], last[..dot], d => dims[d.Identifier]).ConfigureAwait(false);
    });

    private Task<IResult> RestFeatureInfoAsync(HttpContext context, StandardLayer layer, string[] segments)
    {
        string last = segments[^1];
        int dot = last.LastIndexOf('.');
        string? infoFormat = dot <= 0 ? null : last[(dot + 1)..].ToLowerInvariant() switch
        {
            "json" => PointDocuments.Json,
            "html" => PointDocuments.Html,
            "txt" => PointDocuments.Text,
            _ => null,
        };
        if (infoFormat is null)
        {
            throw OwsException.Invalid("INFOFORMAT", $"'{last}' is not a feature info pixel column with an extension .json, .html or .txt.");
        }

        var dims = RestDimensions(layer, segments);
        int t = 2 + layer.Dimensions.Count;
        var target = ResolveTile(context, layer, Uri.UnescapeDataString(segments[1]), segments[t], segments[t + 1], segments[t + 2], segments[t + 3], d => dims[d.Identifier]);
        return FeatureInfoCoreAsync(context, target, segments[t + 4], last[..dot], infoFormat);
    }

    private static Dictionary<string, string> RestDimensions(StandardLayer layer, string[] segments)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < layer.Dimensions.Count; i++)
        {
            values[layer.Dimensions[i].Identifier] = Uri.UnescapeDataString(segments[2 + i]);
        }

        return values;
    }

    private async Task<IResult> TileAsync(HttpContext context, string layerId, string style, ImageFormat format, string tmsId, string matrixId, string row, string col, Func<LayerDimension, string?> dimension)
    {
        var entries = await _catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        var layer = StandardLayerCatalog.FindLayer(entries, layerId) ?? throw UnknownLayer(layerId);
        return await TileCoreAsync(context, layer, style, format, tmsId, matrixId, row, col, dimension).ConfigureAwait(false);
    }

    private async Task<IResult> FeatureInfoAsync(HttpContext context, string layerId, string style, string tmsId, string matrixId, string row, string col, string j, string i,
        string infoFormat, Func<LayerDimension, string?> dimension)
    {
        var entries = await _catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        var layer = StandardLayerCatalog.FindLayer(entries, layerId) ?? throw UnknownLayer(layerId);
        var target = ResolveTile(context, layer, style, tmsId, matrixId, row, col, dimension);
        return await FeatureInfoCoreAsync(context, target, j, i, infoFormat).ConfigureAwait(false);
    }

    private async Task<IResult> TileCoreAsync(HttpContext context, StandardLayer layer, string style, ImageFormat format, string tmsId, string matrixId, string rowText, string colText, Func<LayerDimension, string?> dimension)
    {
        var t = ResolveTile(context, layer, style, tmsId, matrixId, rowText, colText, dimension);
        return await _tiles.RenderAsync(context, new TileRequest(layer.Reader, t.Tms, t.Matrix, t.Col, t.Row, t.Matrix.TileWidth, format, t.Query)).ConfigureAwait(false);
    }

    /// <summary>GetFeatureInfo of a tile pixel: I/J inside the tile, its centre to lon/lat, the <c>/point</c> values there.</summary>
    private async Task<IResult> FeatureInfoCoreAsync(HttpContext context, TileTarget target, string jText, string iText, string infoFormat)
    {
        var m = target.Matrix;
        int i = ParsePixel(iText, "I", m.TileWidth), j = ParsePixel(jText, "J", m.TileHeight);
        var (lon, lat) = _crs.PixelCentre(target.Tms.Crs, target.Tms.TileBounds(m, target.Col, target.Row), m.TileWidth, m.TileHeight, i, j)
            ?? throw new OwsException(StatusCodes.Status400BadRequest, "PointIJOutOfRange", "I", $"Pixel ({i}, {j}) of this tile has no longitude and latitude.");
        if (_caching.TryNotModified(context, HttpCaching.ETag(target.Layer.Reader.Version, "wmts-info" + context.Request.Path + context.Request.QueryString.Value), isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var values = await target.Layer.Reader.PointAsync(lon, lat, LayerQuery.Point(target.Layer, target.Query), context.RequestAborted).ConfigureAwait(false);
        return WmsHandler.FeatureInfo(infoFormat, target.Layer.Id, values);
    }

    private sealed record TileTarget(StandardLayer Layer, TileMatrixSet Tms, TileMatrix Matrix, long Col, long Row, TileQuery Query);

    /// <summary>Checks a tile address of a layer (style, set, matrix, row, column, dimension values) and builds its query.</summary>
    private TileTarget ResolveTile(HttpContext context, StandardLayer layer, string style, string tmsId, string matrixId, string rowText, string colText, Func<LayerDimension, string?> dimension)
    {
        if (style.Length == 0)
        {
            style = StandardLayer.DefaultStyle;
        }

        if (!_layers.IsKnownStyle(layer, style))
        {
            throw OwsException.Invalid("STYLE", layer.IsComposite
                ? $"Layer '{layer.Id}' is composed from bands and has only the style 'default', not '{style}'."
                : $"Layer '{layer.Id}' has no style '{style}'; styles are 'default' and the colormap names (see the capabilities).");
        }

        if (!layer.Reader.TileMatrixSets.TryGet(tmsId, out var tms) || !_layers.OfferedSets(layer.Reader, topLeftOnly: true).Contains(tms))
        {
            throw OwsException.Invalid("TILEMATRIXSET", $"Layer '{layer.Id}' is not offered in TileMatrixSet '{tmsId}'; see its TileMatrixSetLink elements.");
        }

        var matrix = tms.FindMatrix(matrixId) ?? throw OwsException.Invalid("TILEMATRIX", $"TileMatrixSet '{tms.Id}' has no TileMatrix '{matrixId}'.");
        long row = ParseIndex(rowText, "TILEROW");
        long col = ParseIndex(colText, "TILECOL");
        if (row >= matrix.MatrixHeight)
        {
            throw OwsException.OutOfRange("TILEROW", $"TileRow {row} is out of range [0, {matrix.MatrixHeight - 1}] for TileMatrix {matrix.Id}.");
        }

        if (col >= matrix.MatrixWidth || !tms.IsValidTile(matrix, col, row))
        {
            throw OwsException.OutOfRange("TILECOL", $"TileCol {col} is out of range [0, {matrix.MatrixWidth - 1}] for TileMatrix {matrix.Id}.");
        }

        var selections = new List<DimensionSelection>();
        foreach (var d in layer.Dimensions)
        {
            string requested = dimension(d) ?? "";
            string value = StandardLayerCatalog.ResolveDimensionValue(layer, d, requested)
                ?? throw OwsException.Invalid(d.Identifier.ToUpperInvariant(), $"'{requested}' is not a value of dimension {d.Identifier} of layer '{layer.Id}' (values: {Preview(d.Values)}).");
            selections.Add(new DimensionSelection(d.Name, value));
        }

        // The TiTiler rendering parameters still apply (e.g. rescale); the layer, style and dimensions decide the rest.
        TileQuery query;
        try
        {
            var parameters = context.Request.Parameters();
            parameters.RequireKnown(TileQuery.KnownParameters, [.. KvpParameters, .. FeatureInfoParameters, .. layer.Dimensions.Select(d => d.Identifier)]);
            query = LayerQuery.Parse(parameters, layer, style, selections);
        }
        catch (BadRequestException e)
        {
            throw OwsException.Invalid(e.Parameter, e.Message);
        }

        return new TileTarget(layer, tms, matrix, col, row, query);
    }

    private async Task<IResult> CapabilitiesAsync(HttpContext context)
    {
        var entries = await _catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        string baseUrl = RequestUrls.BaseUrl(context.Request);
        string etag = HttpCaching.ETag(string.Join(",", entries.Select(e => e.Id + ":" + e.Reader?.Version)), "wmts-capabilities/" + baseUrl);
        if (_caching.TryNotModified(context, etag, isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(_writer.Write(entries, baseUrl), XmlType);
    }

    /// <summary>Every failure of a WMTS request becomes an ExceptionReport (never problem+json, never a stack trace).</summary>
    private async Task<IResult> GuardAsync(HttpContext context, Func<Task<IResult>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (OwsException e)
        {
            return Report(context, e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var problem = ProblemExceptionHandler.Classify(e);
            if (problem.Status < 500)
            {
                return Report(context, new OwsException(problem.Status, "InvalidParameterValue", Locator(problem.Parameter), problem.Detail));
            }

            if (problem.Status == StatusCodes.Status500InternalServerError)
            {
                WmtsLog.Unexpected(_log, e, context.Request.Path + context.Request.QueryString);
            }

            return Report(context, new OwsException(problem.Status, "NoApplicableCode", null, problem.Detail));
        }
    }

    private static IResult Report(HttpContext context, OwsException e)
    {
        // A failure after the tile path set its validators must not be cached as if it were the tile.
        context.Response.Headers.Remove("ETag");
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text(Encoding.UTF8.GetString(e.ToXml()), XmlType, Encoding.UTF8, e.Status);
    }

    private static string? Locator(string? parameter) => parameter switch
    {
        null => null,
        "z" => "TILEMATRIX",
        "x" => "TILECOL",
        "y" => "TILEROW",
        "tileMatrixSetId" => "TILEMATRIXSET",
        "variable" or "dataset" => "LAYER",
        _ => parameter,
    };

    private static OwsException UnknownLayer(string id) => OwsException.Invalid("LAYER", $"No layer '{id}'; layer ids are {{dataset}}.{{variable}}, see the capabilities.");

    private static string Required(IQueryCollection q, string name) => Optional(q, name) ?? throw OwsException.Missing(name);

    /// <summary>The value of a KVP parameter, null when absent or blank; given twice (in any case) it is refused, not guessed.</summary>
    private static string? Optional(IQueryCollection q, string name)
    {
        if (!q.TryGetValue(name, out StringValues v) || v.Count == 0)
        {
            return null;
        }

        return v.Count > 1 ? throw OwsException.Invalid(name, $"Parameter {name} is given {v.Count} times; give it once.")
            : string.IsNullOrWhiteSpace(v[0]) ? null : v[0]!.Trim();
    }

    private static int ParsePixel(string text, string name, int size)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v < size
            ? v
            : throw new OwsException(StatusCodes.Status400BadRequest, "PointIJOutOfRange", name, $"{name} must be a pixel index from 0 to {size - 1} of the tile, not '{text}'.");

    private static long ParseIndex(string text, string name)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v)
            ? v
            : throw OwsException.Invalid(name, $"{name} '{text}' is not a non-negative integer.");

    public static bool TryParseMime(string mime, out ImageFormat format)
    {
        format = ImageFormat.Png;
        foreach (var f in WmtsCapabilitiesWriter.Formats)
        {
            if (mime.Equals(f.ContentType(), StringComparison.OrdinalIgnoreCase))
            {
                format = f;
                return true;
            }
        }

        if (mime.Equals("image/jpg", StringComparison.OrdinalIgnoreCase))
        {
            format = ImageFormat.Jpeg;
            return true;
        }

        return false;
    }

    private static string Preview(IReadOnlyList<string> values)
        => values.Count <= 6 ? string.Join(", ", values) : string.Join(", ", values.Take(3)) + ", …, " + string.Join(", ", values.Skip(values.Count - 2));
}

internal static partial class WmtsLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Unexpected error answering WMTS request {Request}")]
    public static partial void Unexpected(ILogger logger, Exception exception, string request);
}
