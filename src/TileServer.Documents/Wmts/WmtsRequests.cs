using System.Globalization;
using TileServer.Documents.Requests;
using TileServer.Documents.Wms;
using TileServer.Reading;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Documents.Wmts;

/// <summary>
/// A GetTile or GetFeatureInfo request as written (KVP or RESTful), before it is checked against its layer: the tile's
/// address and format, and for GetFeatureInfo the pixel (I column, J row, as written) and the info format.
/// </summary>
public sealed record WmtsRequest(string LayerId, string Style, string TileMatrixSet, string TileMatrix, string TileRow, string TileCol, Func<LayerDimension, string?> Dimension)
{
    public ImageFormat Format { get; init; } = ImageFormat.Png;

    public (string I, string J, string InfoFormat)? FeatureInfo { get; init; }
}

/// <summary>A tile of a layer checked against it (style, TileMatrixSet, matrix, row, column, dimension values), with the query that draws it.</summary>
public sealed record WmtsTile(StandardLayer Layer, TileMatrixSet Tms, TileMatrix Matrix, long Col, long Row, TileQuery Query);

/// <summary>
/// WMTS 1.0.0 requests, KVP (parameter names case-insensitive) and RESTful, checked against the catalog's layers;
/// failures are <see cref="OwsException"/>s, as the ExceptionReport names them.
/// </summary>
public sealed class WmtsRequests
{
    /// <summary>GetTile's KVP parameters (names case-insensitive, as OGC KVP encoding says).</summary>
    private static readonly string[] KvpParameters = ["SERVICE", "REQUEST", "VERSION", "LAYER", "STYLE", "FORMAT", "TILEMATRIXSET", "TILEMATRIX", "TILEROW", "TILECOL"];

    /// <summary>GetFeatureInfo's KVP parameters beyond GetTile's.</summary>
    private static readonly string[] FeatureInfoParameters = ["I", "J", "INFOFORMAT"];

    private readonly StandardLayerCatalog _layers;
    private readonly WmsCrs _crs;

    public WmtsRequests(StandardLayerCatalog layers, WmsCrs crs)
    {
        _layers = layers;
        _crs = crs;
    }

    /// <summary>A KVP request: null for GetCapabilities, else the GetTile or GetFeatureInfo it asks (parameters checked in this order).</summary>
    public static WmtsRequest? ParseKvp(RequestParameters q)
    {
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
                throw new OwsException(400, "VersionNegotiationFailed", "ACCEPTVERSIONS", $"Only version 1.0.0 is supported, not '{versions}'.");
            }

            return null;
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
        string style = Optional(q, "STYLE") ?? (q.Contains("STYLE") ? StandardLayer.DefaultStyle : throw OwsException.Missing("STYLE"));
        string format = Required(q, "FORMAT");
        var tile = new WmtsRequest(layerId, style, Required(q, "TILEMATRIXSET"), Required(q, "TILEMATRIX"), Required(q, "TILEROW"), Required(q, "TILECOL"), d => Optional(q, d.Identifier));
        if (!TryParseMime(format, out var imageFormat))
        {
            throw OwsException.Invalid("FORMAT", $"FORMAT '{format}' is not offered; use image/png, image/webp or image/jpeg.");
        }

        if (!featureInfo)
        {
            return tile with { Format = imageFormat };
        }

        string infoFormat = PointDocuments.ParseInfoFormat(Required(q, "INFOFORMAT"))
            ?? throw OwsException.Invalid("INFOFORMAT", $"INFOFORMAT '{Optional(q, "INFOFORMAT")}' is not offered; use {string.Join(", ", PointDocuments.InfoFormats)}.");
        string j = Required(q, "J");
        return tile with { Format = imageFormat, FeatureInfo = (Required(q, "I"), j, infoFormat) };
    }

    /// <summary>The segments of a RESTful tile path, the first naming the layer; too few for any layer is refused.</summary>
    public static string[] SplitRestPath(string path)
    {
        var segments = path.Split('/');
        return segments.Length >= 6
            ? segments
            : throw OwsException.Invalid("TILECOL", $"'{path}' is not a tile path like {{layer}}/{{style}}/{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.png.");
    }

    /// <summary>
    /// <c>{layer}/{style}[/{dim}...]/{tms}/{matrix}/{row}/{col}.{ext}</c>, one dimension segment per layer Dimension;
    /// with <c>/{J}/{I}.{json|html|txt}</c> after the column, GetFeatureInfo.
    /// </summary>
    public static WmtsRequest ParseRest(string[] segments, StandardLayer layer)
    {
        int expected = 6 + layer.Dimensions.Count;
        bool featureInfo = segments.Length == expected + 2;
        if (!featureInfo && segments.Length != expected)
        {
            throw OwsException.Invalid("TILECOL", $"Layer '{layer.Id}' tiles have {expected} path segments ({{layer}}/{{style}}{string.Concat(layer.Dimensions.Select(d => "/{" + d.Identifier + "}"))}/{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.ext), not {segments.Length}.");
        }

        string last = segments[^1];
        int dot = last.LastIndexOf('.');
        var format = ImageFormat.Png;
        string? infoFormat = null;
        if (featureInfo)
        {
            infoFormat = dot <= 0 ? null : last[(dot + 1)..].ToLowerInvariant() switch
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
        }
        else if (dot <= 0 || !ImageFormats.TryParse(last[(dot + 1)..], out format) || format == ImageFormat.Npy)
        {
            throw OwsException.Invalid("FORMAT", $"'{last}' is not a tile column with an extension .png, .webp or .jpg.");
        }

        var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < layer.Dimensions.Count; i++)
        {
            dimensions[layer.Dimensions[i].Identifier] = Uri.UnescapeDataString(segments[2 + i]);
        }

        int t = 2 + layer.Dimensions.Count;
        string col = featureInfo ? segments[t + 3] : last[..dot];
        var tile = new WmtsRequest(layer.Id, Uri.UnescapeDataString(segments[1]), segments[t], segments[t + 1], segments[t + 2], col, d => dimensions[d.Identifier]) { Format = format };
        return infoFormat is null ? tile : tile with { FeatureInfo = (last[..dot], segments[t + 4], infoFormat) };
    }

    /// <summary>Checks a tile address against its layer (style, set, matrix, row, column, dimension values) and builds its query.</summary>
    public WmtsTile Resolve(RequestParameters query, StandardLayer layer, WmtsRequest request)
    {
        string style = request.Style.Length == 0 ? StandardLayer.DefaultStyle : request.Style;
        if (!_layers.IsKnownStyle(layer, style))
        {
            throw OwsException.Invalid("STYLE", layer.IsComposite
                ? $"Layer '{layer.Id}' is composed from bands and has only the style 'default', not '{style}'."
                : $"Layer '{layer.Id}' has no style '{style}'; styles are 'default' and the colormap names (see the capabilities).");
        }

        if (!layer.Reader.TileMatrixSets.TryGet(request.TileMatrixSet, out var tms) || !_layers.OfferedSets(layer.Reader, topLeftOnly: true).Contains(tms))
        {
            throw OwsException.Invalid("TILEMATRIXSET", $"Layer '{layer.Id}' is not offered in TileMatrixSet '{request.TileMatrixSet}'; see its TileMatrixSetLink elements.");
        }

        var matrix = tms.FindMatrix(request.TileMatrix) ?? throw OwsException.Invalid("TILEMATRIX", $"TileMatrixSet '{tms.Id}' has no TileMatrix '{request.TileMatrix}'.");
        long row = ParseIndex(request.TileRow, "TILEROW");
        long col = ParseIndex(request.TileCol, "TILECOL");
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
            string requested = request.Dimension(d) ?? "";
            string value = StandardLayerCatalog.ResolveDimensionValue(layer, d, requested)
                ?? throw OwsException.Invalid(d.Identifier.ToUpperInvariant(), $"'{requested}' is not a value of dimension {d.Identifier} of layer '{layer.Id}' (values: {Preview(d.Values)}).");
            selections.Add(new DimensionSelection(d.Name, value));
        }

        // The TiTiler rendering parameters still apply (e.g. rescale); the layer, style and dimensions decide the rest.
        try
        {
            query.RequireKnown(TileQuery.KnownParameters, [.. KvpParameters, .. FeatureInfoParameters, .. layer.Dimensions.Select(d => d.Identifier)]);
            return new WmtsTile(layer, tms, matrix, col, row, LayerQuery.Parse(query, layer, style, selections));
        }
        catch (BadRequestException e)
        {
            throw OwsException.Invalid(e.Parameter, e.Message);
        }
    }

    /// <summary>GetFeatureInfo's pixel (I, J inside the tile) and the longitude and latitude of its centre.</summary>
    public (double Lon, double Lat) PixelCentre(WmtsTile tile, string iText, string jText)
    {
        var m = tile.Matrix;
        int i = ParsePixel(iText, "I", m.TileWidth), j = ParsePixel(jText, "J", m.TileHeight);
        return _crs.PixelCentre(tile.Tms.Crs, tile.Tms.TileBounds(m, tile.Col, tile.Row), m.TileWidth, m.TileHeight, i, j)
            ?? throw new OwsException(400, "PointIJOutOfRange", "I", $"Pixel ({i}, {j}) of this tile has no longitude and latitude.");
    }

    public static OwsException UnknownLayer(string id) => OwsException.Invalid("LAYER", $"No layer '{id}'; layer ids are {{dataset}}.{{variable}}, see the capabilities.");

    /// <summary>
    /// A failure outside WMTS's own checks (a tile parameter, a dataset that cannot be read) as an OWS exception: a
    /// client's mistake names the WMTS parameter that carried it, anything else is NoApplicableCode.
    /// </summary>
    public static OwsException Failure(int status, string? parameter, string detail)
        => status < 500 ? new OwsException(status, "InvalidParameterValue", Locator(parameter), detail) : new OwsException(status, "NoApplicableCode", null, detail);

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

    private static string Required(RequestParameters q, string name) => Optional(q, name) ?? throw OwsException.Missing(name);

    /// <summary>The value of a KVP parameter, null when absent or blank; given twice (in any case) it is refused, not guessed.</summary>
    private static string? Optional(RequestParameters q, string name)
    {
        var v = q[name];
        if (v.Count == 0)
        {
            return null;
        }

        return v.Count > 1 ? throw OwsException.Invalid(name, $"Parameter {name} is given {v.Count} times; give it once.")
            : string.IsNullOrWhiteSpace(v[0]) ? null : v[0]!.Trim();
    }

    private static int ParsePixel(string text, string name, int size)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v < size
            ? v
            : throw new OwsException(400, "PointIJOutOfRange", name, $"{name} must be a pixel index from 0 to {size - 1} of the tile, not '{text}'.");

    private static long ParseIndex(string text, string name)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v)
            ? v
            : throw OwsException.Invalid(name, $"{name} '{text}' is not a non-negative integer.");

    private static string Preview(IReadOnlyList<string> values)
        => values.Count <= 6 ? string.Join(", ", values) : string.Join(", ", values.Take(3)) + ", …, " + string.Join(", ", values.Skip(values.Count - 2));
}
