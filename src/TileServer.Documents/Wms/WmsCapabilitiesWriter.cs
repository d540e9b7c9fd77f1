using System.Globalization;
using System.Text;
using System.Xml;
using TileServer.Crs;
using TileServer.Reading;
using TileServer.Reading.Catalog;
using TileServer.Rendering;

namespace TileServer.Documents.Wms;

/// <summary>
/// Writes the WMS 1.3.0 capabilities (element order as in <c>capabilities_1_3_0.xsd</c>): one named, queryable layer
/// per variable (<see cref="StandardLayerCatalog"/>'s layers, as in WMTS) grouped under one unnamed layer per
/// dataset; styles are the colormaps with legend URLs; dimensions per <see cref="WmsDimension"/>; every CRS the
/// server knows on the root layer (inherited); bounding boxes in CRS:84, EPSG:4326, EPSG:3857 and the data's CRS,
/// each in its axis order.
/// </summary>
public sealed class WmsCapabilitiesWriter(StandardLayerCatalog layers, WmsCrs crs, CrsRegistry registry, WmsOptions options, LegendRenderer legends)
{
    public const string WmsNs = "http://www.opengis.net/wms";

    /// <summary>The media type WMS 1.3.0 gives capabilities.</summary>
    public const string MediaType = "text/xml";
    private const string XlinkNs = "http://www.w3.org/1999/xlink";
    private const string XsiNs = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>GetMap output formats: the images and the decoded values.</summary>
    public static readonly IReadOnlyList<ImageFormat> MapFormats = [ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.Webp, ImageFormat.Npy];

    /// <summary>The EXCEPTIONS values GetMap accepts.</summary>
    public static readonly IReadOnlyList<string> ExceptionFormats = ["XML", "INIMAGE", "BLANK"];

    /// <summary>One layer per GetMap: the server does not composite layers.</summary>
    public const int LayerLimit = 1;

    private readonly StandardLayerCatalog _layers = layers;
    private readonly WmsCrs _crs = crs;
    private readonly CrsRegistry _registry = registry;
    private readonly WmsOptions _options = options;
    private readonly LegendRenderer _legends = legends;

    public byte[] Write(IReadOnlyList<DatasetEntry> entries, string baseUrl)
    {
        var open = entries.Select(e => e.Reader).OfType<DatasetReader>().ToArray();
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = " " }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("WMS_Capabilities", WmsNs);
            w.WriteAttributeString("version", "1.3.0");
            w.WriteAttributeString("xmlns", "xlink", null, XlinkNs);
            w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
            w.WriteAttributeString("xsi", "schemaLocation", XsiNs, WmsNs + " http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd");
            WriteService(w, baseUrl);
            w.WriteStartElement("Capability", WmsNs);
            WriteRequests(w, baseUrl);
            w.WriteStartElement("Exception", WmsNs);
            foreach (var f in ExceptionFormats)
            {
                w.WriteElementString("Format", WmsNs, f);
            }

            w.WriteEndElement();
            WriteRootLayer(w, open, baseUrl);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private void WriteService(XmlWriter w, string baseUrl)
    {
        w.WriteStartElement("Service", WmsNs);
        w.WriteElementString("Name", WmsNs, "WMS");
        w.WriteElementString("Title", WmsNs, "GeoZarr tile server");
        w.WriteElementString("Abstract", WmsNs, "Maps rendered from Zarr (v2/v3) and GeoZarr datasets. Layer names are {dataset}.{variable}; styles are colormaps; GetMap FORMAT application/x-npy gives the decoded float32 values.");
        WriteOnlineResource(w, baseUrl + "/wms");
        w.WriteElementString("Fees", WmsNs, "none");
        w.WriteElementString("AccessConstraints", WmsNs, "none");
        w.WriteElementString("LayerLimit", WmsNs, Int(LayerLimit));
        w.WriteElementString("MaxWidth", WmsNs, Int(_options.MaxWidth));
        w.WriteElementString("MaxHeight", WmsNs, Int(_options.MaxHeight));
        w.WriteEndElement();
    }

    private static void WriteRequests(XmlWriter w, string baseUrl)
    {
        w.WriteStartElement("Request", WmsNs);
        WriteOperation(w, "GetCapabilities", [MediaType], baseUrl);
        WriteOperation(w, "GetMap", MapFormats.Select(f => f.ContentType()).ToArray(), baseUrl);
        WriteOperation(w, "GetFeatureInfo", PointDocuments.InfoFormats, baseUrl);
        w.WriteEndElement();
    }

    private static void WriteOperation(XmlWriter w, string name, IReadOnlyList<string> formats, string baseUrl)
    {
        w.WriteStartElement(name, WmsNs);
        foreach (var f in formats)
        {
            w.WriteElementString("Format", WmsNs, f);
        }

        w.WriteStartElement("DCPType", WmsNs);
        w.WriteStartElement("HTTP", WmsNs);
        w.WriteStartElement("Get", WmsNs);
        WriteOnlineResource(w, baseUrl + "/wms?");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private void WriteRootLayer(XmlWriter w, IReadOnlyList<DatasetReader> open, string baseUrl)
    {
        w.WriteStartElement("Layer", WmsNs);
        w.WriteElementString("Title", WmsNs, "GeoZarr tile server");
        foreach (var code in _crs.Advertised)
        {
            w.WriteElementString("CRS", WmsNs, code);
        }

        var all = open.Select(r => r.Geography.Wgs84Bounds).ToList();
        WriteGeographicBox(w, all.Count == 0 ? new Extent(-180, -90, 180, 90)
            : new Extent(all.Min(e => e.MinX), all.Min(e => e.MinY), all.Max(e => e.MaxX), all.Max(e => e.MaxY)));
        foreach (var reader in open)
        {
            var boxes = BoundingBoxes(reader);
            w.WriteStartElement("Layer", WmsNs);
            w.WriteElementString("Title", WmsNs, reader.Title);
            w.WriteElementString("Abstract", WmsNs, $"Dataset '{reader.Id}'.");
            WriteGeographicBox(w, reader.Geography.Wgs84Bounds);
            WriteBoundingBoxes(w, boxes);
            foreach (var layer in StandardLayerCatalog.LayersOf(reader))
            {
                WriteLayer(w, layer, boxes, baseUrl);
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private void WriteLayer(XmlWriter w, StandardLayer layer, IReadOnlyList<(CrsInfo Crs, Extent Box, double? ResX, double? ResY)> boxes, string baseUrl)
    {
        var reader = layer.Reader;
        var variable = reader.Dataset.FindVariable(layer.Variable)!;
        w.WriteStartElement("Layer", WmsNs);
        w.WriteAttributeString("queryable", "1");
        w.WriteAttributeString("opaque", "0");
        w.WriteElementString("Name", WmsNs, layer.Id);
        w.WriteElementString("Title", WmsNs, layer.Title);
        w.WriteElementString("Abstract", WmsNs, $"Variable '{layer.Variable}' of dataset '{reader.Id}'" + (variable.Units is { } u ? $" ({u})" : "") + (layer.IsComposite ? ", composed as RGB(A)." : "."));
        // The data's own CRS is offered even when the server's table does not hold its code.
        if (reader.Dataset.Finest.Grid.Crs is { Code: not null } native && WmsCrs.Identifier(native) is { } id && !_crs.Advertised.Contains(id))
        {
            w.WriteElementString("CRS", WmsNs, id);
        }

        WriteGeographicBox(w, reader.Geography.Wgs84Bounds);
        WriteBoundingBoxes(w, boxes);
        foreach (var d in WmsDimension.Of(layer))
        {
            w.WriteStartElement("Dimension", WmsNs);
            w.WriteAttributeString("name", d.Name);
            w.WriteAttributeString("units", d.Units);
            w.WriteAttributeString("default", d.Dimension.Default);
            w.WriteString(string.Join(",", d.Dimension.Values));
            w.WriteEndElement();
        }

        WriteStyle(w, layer, StandardLayer.DefaultStyle, "Default rendering", baseUrl);
        if (!layer.IsComposite)
        {
            foreach (var name in _layers.ColormapStyles)
            {
                WriteStyle(w, layer, name, "Colormap " + name, baseUrl);
            }
        }

        w.WriteEndElement();
    }

    private void WriteStyle(XmlWriter w, StandardLayer layer, string name, string title, string baseUrl)
    {
        w.WriteStartElement("Style", WmsNs);
        w.WriteElementString("Name", WmsNs, name);
        w.WriteElementString("Title", WmsNs, title);
        if (!layer.IsComposite)
        {
            var (width, height) = _legends.PngSize;
            w.WriteStartElement("LegendURL", WmsNs);
            w.WriteAttributeString("width", Int(width));
            w.WriteAttributeString("height", Int(height));
            w.WriteElementString("Format", WmsNs, "image/png");
            WriteOnlineResource(w, WmtsCapabilitiesWriter.LegendUrl(baseUrl, layer, name));
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    /// <summary>The dataset's extent in CRS:84, EPSG:4326, EPSG:3857 (latitudes clamped to ±85.0511°) and its own CRS (exact grid bounds and resolution).</summary>
    private List<(CrsInfo Crs, Extent Box, double? ResX, double? ResY)> BoundingBoxes(DatasetReader reader)
    {
        var geo = reader.Geography;
        var grid = reader.Dataset.Finest.Grid;
        var result = new List<(CrsInfo, Extent, double?, double?)>
        {
            (_registry.FromCode("OGC:CRS84"), geo.Wgs84Bounds, null, null),
            (_registry.FromCode("EPSG:4326"), geo.Wgs84Bounds, null, null),
        };
        bool nativeIs = grid.Crs.Code is "EPSG:3857";
        var mercator = nativeIs && !grid.WrapsLongitude ? grid.Bounds : _layers.ProjectBounds(geo.MercatorClampedBounds, _registry.FromCode("EPSG:3857"));
        if (double.IsFinite(mercator.MinX) && !mercator.IsEmpty)
        {
            result.Add((_registry.FromCode("EPSG:3857"), mercator, nativeIs ? grid.ResolutionX : null, nativeIs ? grid.ResolutionY : null));
        }

        if (grid.Crs.Code is { } code && code is not ("EPSG:3857" or "EPSG:4326" or "OGC:CRS84") && !grid.WrapsLongitude)
        {
            result.Add((grid.Crs, grid.Bounds, grid.ResolutionX, grid.ResolutionY));
        }

        return result;
    }

    private static void WriteBoundingBoxes(XmlWriter w, IEnumerable<(CrsInfo Crs, Extent Box, double? ResX, double? ResY)> boxes)
    {
        foreach (var (crs, box, resX, resY) in boxes)
        {
            var (minX, minY, maxX, maxY) = WmsCrs.InAxisOrder(box, crs);
            w.WriteStartElement("BoundingBox", WmsNs);
            w.WriteAttributeString("CRS", WmsCrs.Identifier(crs));
            w.WriteAttributeString("minx", Num(minX));
            w.WriteAttributeString("miny", Num(minY));
            w.WriteAttributeString("maxx", Num(maxX));
            w.WriteAttributeString("maxy", Num(maxY));
            if (resX is { } rx && resY is { } ry)
            {
                var (first, second) = WmsCrs.NorthingFirst(crs) ? (ry, rx) : (rx, ry);
                w.WriteAttributeString("resx", Num(first));
                w.WriteAttributeString("resy", Num(second));
            }

            w.WriteEndElement();
        }
    }

    private static void WriteGeographicBox(XmlWriter w, Extent e)
    {
        w.WriteStartElement("EX_GeographicBoundingBox", WmsNs);
        w.WriteElementString("westBoundLongitude", WmsNs, Num(Math.Clamp(e.MinX, -180, 180)));
        w.WriteElementString("eastBoundLongitude", WmsNs, Num(Math.Clamp(e.MaxX, -180, 180)));
        w.WriteElementString("southBoundLatitude", WmsNs, Num(Math.Clamp(e.MinY, -90, 90)));
        w.WriteElementString("northBoundLatitude", WmsNs, Num(Math.Clamp(e.MaxY, -90, 90)));
        w.WriteEndElement();
    }

    private static void WriteOnlineResource(XmlWriter w, string href)
    {
        w.WriteStartElement("OnlineResource", WmsNs);
        w.WriteAttributeString("xlink", "type", XlinkNs, "simple");
        w.WriteAttributeString("xlink", "href", XlinkNs, href);
        w.WriteEndElement();
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
}
