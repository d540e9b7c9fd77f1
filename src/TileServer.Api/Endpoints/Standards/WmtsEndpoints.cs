using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.Extensions.Primitives;
using TileServer.Api.Catalog;
using TileServer.Api.Errors;
using TileServer.Api.Http;
using TileServer.Api.Rendering;
using TileServer.Documents;
using TileServer.Reading;
using TileServer.Reading.Catalog;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Api.Endpoints.Standards;

/// <summary>An OWS 1.1 exception (WMTS answers errors as an <c>ExceptionReport</c>, not problem+json).</summary>
public sealed class OwsException : Exception
{
    public OwsException(int status, string code, string? locator, string message)
        : base(message)
    {
        Status = status;
        Code = code;
        Locator = locator;
    }

    public int Status { get; }
    public string Code { get; }
    public string? Locator { get; }

    public static OwsException Missing(string parameter) => new(StatusCodes.Status400BadRequest, "MissingParameterValue", parameter, $"Parameter {parameter} is required.");

    public static OwsException Invalid(string parameter, string message) => new(StatusCodes.Status400BadRequest, "InvalidParameterValue", parameter, message);

    public static OwsException OutOfRange(string parameter, string message) => new(StatusCodes.Status404NotFound, "TileOutOfRange", parameter, message);

    public byte[] ToXml()
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("ows", "ExceptionReport", WmtsCapabilitiesWriter.OwsNs);
            w.WriteAttributeString("version", "1.0.0");
            w.WriteAttributeString("xml", "lang", null, "en");
            w.WriteStartElement("ows", "Exception", WmtsCapabilitiesWriter.OwsNs);
            w.WriteAttributeString("exceptionCode", Code);
            if (Locator is not null)
            {
                w.WriteAttributeString("locator", Locator);
            }

            w.WriteElementString("ows", "ExceptionText", WmtsCapabilitiesWriter.OwsNs, Message);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return stream.ToArray();
    }
}

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

    private readonly DatasetCatalog _catalog;
    private readonly StandardLayerCatalog _layers;
    private readonly WmtsCapabilitiesWriter _writer;
    private readonly TileHandler _tiles;
    private readonly HttpCaching _caching;
    private readonly ILogger<WmtsHandler> _log;

    public WmtsHandler(DatasetCatalog catalog, StandardLayerCatalog layers, WmtsCapabilitiesWriter writer, TileHandler tiles, HttpCaching caching, ILogger<WmtsHandler> log)
    {
        _catalog = catalog;
        _layers = layers;
        _writer = writer;
        _tiles = tiles;
        _caching = caching;
        _log = log;
    }

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

        if (request.Equals("GetFeatureInfo", StringComparison.OrdinalIgnoreCase))
        {
            throw new OwsException(StatusCodes.Status501NotImplemented, "OperationNotSupported", "REQUEST", "GetFeatureInfo is not implemented; use /datasets/{id}/point for values at a point.");
        }

        if (!request.Equals("GetTile", StringComparison.OrdinalIgnoreCase))
        {
            throw OwsException.Invalid("REQUEST", $"REQUEST '{request}' is not a WMTS operation; use GetCapabilities or GetTile.");
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

        return TileAsync(context, layerId, style, imageFormat, tmsId, matrixId, row, col, d => Optional(q, d.Identifier));
    });

    public Task<IResult> RestCapabilitiesAsync(HttpContext context) => GuardAsync(context, () => CapabilitiesAsync(context));

    /// <summary><c>{layer}/{style}[/{dim}...]/{tms}/{matrix}/{row}/{col}.{ext}</c>, one dimension segment per layer Dimension.</summary>
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

        var dimValues = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < layer.Dimensions.Count; i++)
        {
            dimValues[layer.Dimensions[i].Identifier] = Uri.UnescapeDataString(segments[2 + i]);
        }

        int t = 2 + layer.Dimensions.Count;
        return await TileCoreAsync(context, layer, Uri.UnescapeDataString(segments[1]), format, segments[t], segments[t + 1], segments[t + 2], last[..dot], d => dimValues[d.Identifier]).ConfigureAwait(false);
    });

    private async Task<IResult> TileAsync(HttpContext context, string layerId, string style, ImageFormat format, string tmsId, string matrixId, string row, string col, Func<LayerDimension, string?> dimension)
    {
        var entries = await _catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        var layer = StandardLayerCatalog.FindLayer(entries, layerId) ?? throw UnknownLayer(layerId);
        return await TileCoreAsync(context, layer, style, format, tmsId, matrixId, row, col, dimension).ConfigureAwait(false);
    }

    private async Task<IResult> TileCoreAsync(HttpContext context, StandardLayer layer, string style, ImageFormat format, string tmsId, string matrixId, string rowText, string colText, Func<LayerDimension, string?> dimension)
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
            string value = dimension(d) is { Length: > 0 } v && !v.Equals("default", StringComparison.OrdinalIgnoreCase) ? v : d.Default;
            if (!d.Values.Contains(value, StringComparer.Ordinal))
            {
                throw OwsException.Invalid(d.Identifier.ToUpperInvariant(), $"'{value}' is not a value of dimension {d.Identifier} of layer '{layer.Id}' (values: {Preview(d.Values)}).");
            }

            selections.Add(new DimensionSelection(d.Name, value));
        }

        // The TiTiler rendering parameters still apply (e.g. rescale); the layer, style and dimensions decide the rest.
        QueryParameters.RequireKnown(context.Request.Query, TileQuery.KnownParameters, [.. KvpParameters, .. layer.Dimensions.Select(d => d.Identifier)]);
        var parsed = Parse(context.Request.Query);
        var query = parsed with
        {
            Variables = [layer.Variable],
            Selections = [.. parsed.Selections.Where(s => selections.All(d => d.Dimension != s.Dimension)), .. selections],
            ColormapName = style == StandardLayer.DefaultStyle ? parsed.ColormapName : style,
            ColormapJson = style == StandardLayer.DefaultStyle ? parsed.ColormapJson : null,
            TileSize = null,
        };
        return await _tiles.RenderAsync(context, layer.Reader, tms, matrix, col, row, matrix.TileWidth, format, query).ConfigureAwait(false);
    }

    private static TileQuery Parse(IQueryCollection query)
    {
        try
        {
            return TileQuery.Parse(query, int.MaxValue);
        }
        catch (BadRequestException e)
        {
            throw OwsException.Invalid(e.Parameter, e.Message);
        }
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

    private static string? Optional(IQueryCollection q, string name)
        => q.TryGetValue(name, out StringValues v) && v.Count > 0 && !string.IsNullOrWhiteSpace(v[^1]) ? v[^1]!.Trim() : null;

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
