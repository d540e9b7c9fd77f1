using System.Globalization;
using TileServer.Crs;
using TileServer.Reading;
using TileServer.Reading.Catalog;
using TileServer.Rendering;

namespace TileServer.Documents.Wms;

/// <summary>How a WMS request wants its failures: an XML report, or an image carrying the message or nothing.</summary>
public enum WmsExceptionFormat
{
    Xml,
    InImage,
    Blank,
}

/// <summary>
/// The map part of GetMap and GetFeatureInfo: one layer and style, the area in a CRS (extent in GIS order), the
/// image size and format, transparency or background, and the layer's dimensions resolved to listed values.
/// </summary>
public sealed record WmsMapRequest(
    StandardLayer Layer,
    string Style,
    CrsInfo Crs,
    Extent Bounds,
    int Width,
    int Height,
    ImageFormat Format,
    bool Transparent,
    RgbaColor Background,
    IReadOnlyList<DimensionSelection> Selections);

/// <summary>What GetFeatureInfo adds to the map part: the pixel (I column, J row from the top) and the answer's format.</summary>
public sealed record WmsFeatureInfoRequest(WmsMapRequest Map, int I, int J, string InfoFormat);

/// <summary>The WMS 1.3.0 KVP parameters of each operation, checked against the catalog's layers; failures are <see cref="WmsException"/>s.</summary>
public sealed class WmsRequests(StandardLayerCatalog layers, WmsCrs crs, WmsOptions options)
{
    private static readonly RgbaColor White = new(255, 255, 255, 255);

    private readonly StandardLayerCatalog _layers = layers;
    private readonly WmsCrs _crs = crs;
    private readonly WmsOptions _options = options;

    /// <summary>The EXCEPTIONS parameter (also the WMS 1.1 media-type spellings); XML when absent.</summary>
    public static WmsExceptionFormat ExceptionFormat(WmsParameters p) => p.Optional("EXCEPTIONS")?.ToUpperInvariant() switch
    {
        null or "XML" or "APPLICATION/VND.OGC.SE_XML" or "TEXT/XML" => WmsExceptionFormat.Xml,
        "INIMAGE" or "APPLICATION/VND.OGC.SE_INIMAGE" => WmsExceptionFormat.InImage,
        "BLANK" or "APPLICATION/VND.OGC.SE_BLANK" => WmsExceptionFormat.Blank,
        var other => throw WmsException.Invalid("EXCEPTIONS", $"EXCEPTIONS must be XML, INIMAGE or BLANK, not '{other}'."),
    };

    /// <summary>VERSION, when given, must be 1.3.0 (capabilities negotiate: they are always 1.3.0).</summary>
    public static void CheckVersion(WmsParameters p)
    {
        if (p.Optional("VERSION") is { } version && version != "1.3.0")
        {
            throw WmsException.Invalid("VERSION", $"VERSION must be 1.3.0, not '{version}'; this server speaks WMS 1.3.0 (CRS, not SRS; EPSG:4326 boxes in latitude, longitude order).");
        }
    }

    /// <summary>
    /// The image an INIMAGE or BLANK exception is drawn into: size, image format and background when the request
    /// gives them validly; null otherwise (the exception is then XML).
    /// </summary>
    public (int Width, int Height, ImageFormat Format, RgbaColor Background)? ExceptionImage(WmsParameters p)
    {
        try
        {
            var format = ParseFormat(p.Required("FORMAT"));
            if (format == ImageFormat.Npy)
            {
                return null;
            }

            int width = ParseSize(p, "WIDTH", _options.MaxWidth), height = ParseSize(p, "HEIGHT", _options.MaxHeight);
            return (width, height, format, ParseTransparent(p) && format != ImageFormat.Jpeg ? RgbaColor.Transparent : ParseBackground(p));
        }
        catch (WmsException)
        {
            return null;
        }
    }

    /// <summary>GetMap (and the map part of GetFeatureInfo, where FORMAT may be absent).</summary>
    public WmsMapRequest ParseMap(WmsParameters p, IReadOnlyList<DatasetEntry> entries, bool formatRequired = true)
    {
        CheckVersion(p);
        string layers = p.Required("LAYERS");
        var names = layers.Split(',');
        if (names.Length > WmsCapabilitiesWriter.LayerLimit)
        {
            throw WmsException.Invalid("LAYERS", $"LAYERS names {names.Length} layers; this server draws one layer per GetMap (LayerLimit {WmsCapabilitiesWriter.LayerLimit}): request each layer separately.");
        }

        var layer = FindLayer(entries, names[0].Trim(), "LAYERS");
        string style = (p.Optional("STYLES") ?? "").Split(',')[0].Trim();
        style = style.Length == 0 ? StandardLayer.DefaultStyle : style;
        if (!_layers.IsKnownStyle(layer, style))
        {
            throw new WmsException("StyleNotDefined", "STYLES", layer.IsComposite
                ? $"Layer '{layer.Id}' is composed from bands and has only the style 'default', not '{style}'."
                : $"Layer '{layer.Id}' has no style '{style}'; styles are 'default' and the colormap names (see the capabilities).");
        }

        if (!p.Has("CRS") && p.Has("SRS"))
        {
            throw WmsException.Invalid("CRS", "WMS 1.3.0 names the CRS with CRS, not SRS (WMS 1.1.1).");
        }

        var crs = _crs.Resolve(p.Required("CRS"), "CRS", layer.Reader.Dataset.Finest.Grid.Crs);
        var bounds = WmsCrs.ParseBox(p.Required("BBOX"), crs);
        int width = ParseSize(p, "WIDTH", _options.MaxWidth);
        int height = ParseSize(p, "HEIGHT", _options.MaxHeight);
        var format = p.Optional("FORMAT") is { } f ? ParseFormat(f) : formatRequired ? throw WmsException.Missing("FORMAT") : ImageFormat.Png;
        bool transparent = ParseTransparent(p);
        var background = ParseBackground(p);
        return new WmsMapRequest(layer, style, crs, bounds, width, height, format, transparent, background, Dimensions(p, layer));
    }

    /// <summary>GetFeatureInfo: the map part, QUERY_LAYERS (the map's layer), INFO_FORMAT, and I/J inside the image.</summary>
    public WmsFeatureInfoRequest ParseFeatureInfo(WmsParameters p, IReadOnlyList<DatasetEntry> entries)
    {
        var map = ParseMap(p, entries, formatRequired: false);
        var queryLayers = p.Required("QUERY_LAYERS").Split(',').Select(l => l.Trim()).ToArray();
        if (queryLayers.Any(l => l != map.Layer.Id))
        {
            throw new WmsException("LayerNotDefined", "QUERY_LAYERS", $"QUERY_LAYERS must name the layer of LAYERS ('{map.Layer.Id}'), not '{string.Join(",", queryLayers)}'.");
        }

        string infoFormat = PointDocuments.ParseInfoFormat(p.Required("INFO_FORMAT"))
            ?? throw new WmsException("InvalidFormat", "INFO_FORMAT", $"INFO_FORMAT '{p.Optional("INFO_FORMAT")}' is not offered; use {string.Join(", ", PointDocuments.InfoFormats)}.");
        if (p.Optional("FEATURE_COUNT") is { } count && (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1))
        {
            throw WmsException.Invalid("FEATURE_COUNT", $"FEATURE_COUNT must be a positive integer, not '{count}'.");
        }

        // WMS 1.1 named the pixel X and Y; GDAL's WMS driver still does with VERSION=1.3.0, so they stand in for absent I and J.
        string i = p.Has("I") || !p.Has("X") ? "I" : "X", j = p.Has("J") || !p.Has("Y") ? "J" : "Y";
        return new WmsFeatureInfoRequest(map, ParsePixel(p, i, map.Width), ParsePixel(p, j, map.Height), infoFormat);
    }

    /// <summary>GetLegendGraphic: LAYER and STYLE; FORMAT, when given, must be image/png.</summary>
    public (StandardLayer Layer, string Style) ParseLegend(WmsParameters p, IReadOnlyList<DatasetEntry> entries)
    {
        var layer = FindLayer(entries, p.Required("LAYER"), "LAYER");
        string style = p.Optional("STYLE") ?? StandardLayer.DefaultStyle;
        if (layer.IsComposite)
        {
            throw WmsException.Invalid("LAYER", $"Layer '{layer.Id}' is composed from bands into RGB(A): it has no color scale to draw.");
        }

        if (!_layers.IsKnownStyle(layer, style))
        {
            throw new WmsException("StyleNotDefined", "STYLE", $"Layer '{layer.Id}' has no style '{style}'.");
        }

        if (p.Optional("FORMAT") is { } format && !format.Equals("image/png", StringComparison.OrdinalIgnoreCase))
        {
            throw new WmsException("InvalidFormat", "FORMAT", $"Legends are image/png, not '{format}'.");
        }

        return (layer, style);
    }

    private static StandardLayer FindLayer(IReadOnlyList<DatasetEntry> entries, string id, string parameter)
    {
        if (StandardLayerCatalog.FindLayer(entries, id) is { } layer)
        {
            return layer;
        }

        if (entries.FirstOrDefault(e => e.Reader is null && id.StartsWith(e.Id + ".", StringComparison.Ordinal)) is { } unavailable)
        {
            throw new WmsException(null, parameter, $"Dataset '{unavailable.Id}' is unavailable: {unavailable.Error}", 503);
        }

        throw WmsException.LayerNotDefined(parameter, id);
    }

    private static IReadOnlyList<DimensionSelection> Dimensions(WmsParameters p, StandardLayer layer)
    {
        var selections = new List<DimensionSelection>();
        foreach (var d in WmsDimension.Of(layer))
        {
            string? requested = p.Optional(d.Parameter);
            if (requested is not null && (requested.Contains(',', StringComparison.Ordinal) || requested.Contains('/', StringComparison.Ordinal)))
            {
                throw new WmsException("InvalidDimensionValue", d.Parameter, $"{d.Parameter} takes one value per request, not a list or an interval ('{requested}').");
            }

            string value = StandardLayerCatalog.ResolveDimensionValue(layer, d.Dimension, requested)
                ?? throw new WmsException("InvalidDimensionValue", d.Parameter, $"'{requested}' is not a value of dimension {d.Name} of layer '{layer.Id}' (values: {Preview(d.Dimension.Values)}).");
            selections.Add(new DimensionSelection(d.Dimension.Name, value));
        }

        return selections;
    }

    private static ImageFormat ParseFormat(string text)
    {
        string mime = text.Split(';')[0].Trim();
        if (mime.Equals("image/jpg", StringComparison.OrdinalIgnoreCase))
        {
            return ImageFormat.Jpeg;
        }

        foreach (var f in WmsCapabilitiesWriter.MapFormats)
        {
            if (mime.Equals(f.ContentType(), StringComparison.OrdinalIgnoreCase))
            {
                return f;
            }
        }

        throw new WmsException("InvalidFormat", "FORMAT", $"FORMAT '{text}' is not offered; use {string.Join(", ", WmsCapabilitiesWriter.MapFormats.Select(f => f.ContentType()))}.");
    }

    private static int ParseSize(WmsParameters p, string name, int max)
    {
        string text = p.Required(name);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < 1)
        {
            throw WmsException.Invalid(name, $"{name} must be a positive integer, not '{text}'.");
        }

        return v <= max ? v : throw WmsException.Invalid(name, $"{name} {v} exceeds this server's maximum of {max} (MaxWidth/MaxHeight in the capabilities).");
    }

    private static int ParsePixel(WmsParameters p, string name, int size)
    {
        string text = p.Required(name);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v < size
            ? v
            : throw new WmsException("InvalidPoint", name, $"{name} must be a pixel index from 0 to {size - 1}, not '{text}'.");
    }

    private static bool ParseTransparent(WmsParameters p) => p.Optional("TRANSPARENT")?.ToUpperInvariant() switch
    {
        null or "FALSE" => false,
        "TRUE" => true,
        var other => throw WmsException.Invalid("TRANSPARENT", $"TRANSPARENT must be TRUE or FALSE, not '{other}'."),
    };

    private static RgbaColor ParseBackground(WmsParameters p)
    {
        if (p.Optional("BGCOLOR") is not { } text)
        {
            return White;
        }

        return text.Length == 8 && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && RgbaColor.TryParseHex(text.AsSpan(2), out var color)
            ? color
            : throw WmsException.Invalid("BGCOLOR", $"BGCOLOR must be a hexadecimal RGB color like 0xFFFFFF, not '{text}'.");
    }

    private static string Preview(IReadOnlyList<string> values)
        => values.Count <= 6 ? string.Join(", ", values) : string.Join(", ", values.Take(3)) + ", …, " + string.Join(", ", values.Skip(values.Count - 2));
}
