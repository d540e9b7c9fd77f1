using System.Globalization;
using System.Text;
using System.Xml;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading;
using TileServer.Reading.Catalog;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Documents;

/// <summary>Writes the WMTS 1.0.0 Capabilities document (element order as in <c>wmtsGetCapabilities_response.xsd</c>).</summary>
public sealed class WmtsCapabilitiesWriter(StandardLayerCatalog layers)
{
    public const string WmtsNs = "http://www.opengis.net/wmts/1.0";
    public const string OwsNs = "http://www.opengis.net/ows/1.1";
    public const string XlinkNs = "http://www.w3.org/1999/xlink";
    private const string XsiNs = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>Formats offered for every layer, as MIME type and REST extension.</summary>
    public static readonly IReadOnlyList<ImageFormat> Formats = [ImageFormat.Png, ImageFormat.Webp, ImageFormat.Jpeg];

    /// <summary>REST extensions of <see cref="PointDocuments.InfoFormats"/>, in order.</summary>
    public static readonly IReadOnlyList<string> InfoExtensions = ["json", "html", "txt"];

    private readonly StandardLayerCatalog _layers = layers;

    public byte[] Write(IReadOnlyList<DatasetEntry> entries, string baseUrl)
    {
        var open = entries.Select(e => e.Reader).OfType<DatasetReader>().ToArray();
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = " " };
        using (var w = XmlWriter.Create(stream, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("Capabilities", WmtsNs);
            w.WriteAttributeString("xmlns", "ows", null, OwsNs);
            w.WriteAttributeString("xmlns", "xlink", null, XlinkNs);
            w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
            w.WriteAttributeString("xsi", "schemaLocation", XsiNs, WmtsNs + " http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd");
            w.WriteAttributeString("version", "1.0.0");

            WriteServiceIdentification(w);
            WriteServiceProvider(w, baseUrl);
            WriteOperationsMetadata(w, baseUrl);

            w.WriteStartElement("Contents", WmtsNs);
            // Highest matrix index any layer uses, per TileMatrixSet (the set in Contents is shared by layers).
            var usedSets = new Dictionary<string, (TileMatrixSet Tms, int MaxIndex)>(StringComparer.Ordinal);
            foreach (var reader in open)
            {
                var sets = _layers.OfferedSets(reader, topLeftOnly: true).Select(t => _layers.Coverage(reader, t)).Where(c => c.Limits.Count > 0).ToArray();
                foreach (var c in sets)
                {
                    int max = c.Tms.TileMatrices.ToList().FindIndex(m => m.Id == c.Limits[^1].TileMatrix);
                    usedSets[c.Tms.Id] = usedSets.TryGetValue(c.Tms.Id, out var u) ? (u.Tms, Math.Max(u.MaxIndex, max)) : (c.Tms, max);
                }

                foreach (var layer in StandardLayerCatalog.LayersOf(reader))
                {
                    WriteLayer(w, layer, sets, baseUrl);
                }
            }

            foreach (var (tms, maxIndex) in usedSets.Values)
            {
                WriteTileMatrixSet(w, tms, maxIndex);
            }

            w.WriteEndElement();
            w.WriteStartElement("ServiceMetadataURL", WmtsNs);
            w.WriteAttributeString("xlink", "href", XlinkNs, baseUrl + "/wmts/1.0.0/WMTSCapabilities.xml");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static void WriteServiceIdentification(XmlWriter w)
    {
        w.WriteStartElement("ows", "ServiceIdentification", OwsNs);
        w.WriteElementString("ows", "Title", OwsNs, "GeoZarr tile server");
        w.WriteElementString("ows", "Abstract", OwsNs, "Map tiles rendered from Zarr (v2/v3) and GeoZarr datasets. Layer ids are {dataset}.{variable}; styles are colormaps.");
        w.WriteElementString("ows", "ServiceType", OwsNs, "OGC WMTS");
        w.WriteElementString("ows", "ServiceTypeVersion", OwsNs, "1.0.0");
        w.WriteElementString("ows", "Fees", OwsNs, "none");
        w.WriteElementString("ows", "AccessConstraints", OwsNs, "none");
        w.WriteEndElement();
    }

    private static void WriteServiceProvider(XmlWriter w, string baseUrl)
    {
        w.WriteStartElement("ows", "ServiceProvider", OwsNs);
        w.WriteElementString("ows", "ProviderName", OwsNs, "GeoZarr tile server");
        w.WriteStartElement("ows", "ProviderSite", OwsNs);
        w.WriteAttributeString("xlink", "href", XlinkNs, baseUrl + "/");
        w.WriteEndElement();
        w.WriteStartElement("ows", "ServiceContact", OwsNs);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteOperationsMetadata(XmlWriter w, string baseUrl)
    {
        w.WriteStartElement("ows", "OperationsMetadata", OwsNs);
        foreach (var (operation, restHref) in new[] { ("GetCapabilities", baseUrl + "/wmts/1.0.0/WMTSCapabilities.xml"), ("GetTile", baseUrl + "/wmts/"), ("GetFeatureInfo", baseUrl + "/wmts/") })
        {
            w.WriteStartElement("ows", "Operation", OwsNs);
            w.WriteAttributeString("name", operation);
            w.WriteStartElement("ows", "DCP", OwsNs);
            w.WriteStartElement("ows", "HTTP", OwsNs);
            WriteGet(w, baseUrl + "/wmts?", "KVP");
            WriteGet(w, restHref, "RESTful");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteGet(XmlWriter w, string href, string encoding)
    {
        w.WriteStartElement("ows", "Get", OwsNs);
        w.WriteAttributeString("xlink", "href", XlinkNs, href);
        w.WriteStartElement("ows", "Constraint", OwsNs);
        w.WriteAttributeString("name", "GetEncoding");
        w.WriteStartElement("ows", "AllowedValues", OwsNs);
        w.WriteElementString("ows", "Value", OwsNs, encoding);
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private void WriteLayer(XmlWriter w, StandardLayer layer, IReadOnlyList<TileSetCoverage> sets, string baseUrl)
    {
        var reader = layer.Reader;
        var geo = reader.Geography;
        var variable = reader.Dataset.FindVariable(layer.Variable)!;
        w.WriteStartElement("Layer", WmtsNs);
        w.WriteElementString("ows", "Title", OwsNs, layer.Title);
        w.WriteElementString("ows", "Abstract", OwsNs, $"Variable '{layer.Variable}' of dataset '{reader.Id}'" + (variable.Units is { } u ? $" ({u})" : "") + (layer.IsComposite ? ", composed as RGB(A)." : "."));
        w.WriteStartElement("ows", "WGS84BoundingBox", OwsNs);
        WriteCorners(w, geo.Wgs84Bounds.MinX, geo.Wgs84Bounds.MinY, geo.Wgs84Bounds.MaxX, geo.Wgs84Bounds.MaxY);
        w.WriteEndElement();
        w.WriteElementString("ows", "Identifier", OwsNs, layer.Id);
        // GDAL takes the layer extent from a BoundingBox in the TileMatrixSet's CRS when there is one; without it a
        // global layer reprojected to EPSG:3857 becomes a ~50000 px tall raster.
        foreach (var c in sets.Where(c => !c.Tms.Crs.IsGeographic && double.IsFinite(c.Bounds.MinX)).DistinctBy(c => StandardLayerCatalog.CrsUrn(c.Tms)))
        {
            w.WriteStartElement("ows", "BoundingBox", OwsNs);
            w.WriteAttributeString("crs", StandardLayerCatalog.CrsUrn(c.Tms));
            var b = c.Bounds;
            if (c.Tms.NorthingFirst)
            {
                WriteCorners(w, b.MinY, b.MinX, b.MaxY, b.MaxX);
            }
            else
            {
                WriteCorners(w, b.MinX, b.MinY, b.MaxX, b.MaxY);
            }

            w.WriteEndElement();
        }

        WriteStyle(w, layer, StandardLayer.DefaultStyle, "Default rendering", isDefault: true, baseUrl);
        if (!layer.IsComposite)
        {
            foreach (var name in _layers.ColormapStyles)
            {
                WriteStyle(w, layer, name, "Colormap " + name, isDefault: false, baseUrl);
            }
        }

        foreach (var f in Formats)
        {
            w.WriteElementString("Format", WmtsNs, f.ContentType());
        }

        foreach (var f in PointDocuments.InfoFormats)
        {
            w.WriteElementString("InfoFormat", WmtsNs, f);
        }

        foreach (var d in layer.Dimensions)
        {
            w.WriteStartElement("Dimension", WmtsNs);
            w.WriteElementString("ows", "Identifier", OwsNs, d.Identifier);
            if (d.Units is { Length: > 0 } units)
            {
                w.WriteElementString("ows", "UOM", OwsNs, units);
            }

            w.WriteElementString("Default", WmtsNs, d.Default);
            foreach (var v in d.Values)
            {
                w.WriteElementString("Value", WmtsNs, v);
            }

            w.WriteEndElement();
        }

        foreach (var c in sets)
        {
            w.WriteStartElement("TileMatrixSetLink", WmtsNs);
            w.WriteElementString("TileMatrixSet", WmtsNs, c.Tms.Id);
            w.WriteStartElement("TileMatrixSetLimits", WmtsNs);
            foreach (var l in c.Limits)
            {
                w.WriteStartElement("TileMatrixLimits", WmtsNs);
                w.WriteElementString("TileMatrix", WmtsNs, l.TileMatrix);
                WriteIntegers(w, ("MinTileRow", l.MinTileRow), ("MaxTileRow", l.MaxTileRow), ("MinTileCol", l.MinTileCol), ("MaxTileCol", l.MaxTileCol));
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }

        string dimSegments = string.Concat(layer.Dimensions.Select(d => "/{" + d.Identifier + "}"));
        foreach (var f in Formats)
        {
            w.WriteStartElement("ResourceURL", WmtsNs);
            w.WriteAttributeString("format", f.ContentType());
            w.WriteAttributeString("resourceType", "tile");
            w.WriteAttributeString("template", $"{baseUrl}/wmts/1.0.0/{layer.Id}/{{Style}}{dimSegments}/{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.{f.FileExtension()}");
            w.WriteEndElement();
        }

        foreach (var (f, extension) in PointDocuments.InfoFormats.Zip(InfoExtensions))
        {
            w.WriteStartElement("ResourceURL", WmtsNs);
            w.WriteAttributeString("format", f);
            w.WriteAttributeString("resourceType", "FeatureInfo");
            w.WriteAttributeString("template", $"{baseUrl}/wmts/1.0.0/{layer.Id}/{{Style}}{dimSegments}/{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}/{{J}}/{{I}}.{extension}");
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteStyle(XmlWriter w, StandardLayer layer, string id, string title, bool isDefault, string baseUrl)
    {
        w.WriteStartElement("Style", WmtsNs);
        if (isDefault)
        {
            w.WriteAttributeString("isDefault", "true");
        }

        w.WriteElementString("ows", "Title", OwsNs, title);
        w.WriteElementString("ows", "Identifier", OwsNs, id);
        if (!layer.IsComposite)
        {
            w.WriteStartElement("LegendURL", WmtsNs);
            w.WriteAttributeString("format", "image/png");
            w.WriteAttributeString("xlink", "href", XlinkNs, LegendUrl(baseUrl, layer, id));
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    public static string LegendUrl(string baseUrl, StandardLayer layer, string style)
        => $"{baseUrl}/datasets/{Uri.EscapeDataString(layer.Reader.Id)}/legend.png?variable={Uri.EscapeDataString(layer.Variable)}"
           + (style == StandardLayer.DefaultStyle ? "" : "&colormap_name=" + Uri.EscapeDataString(style));

    private static void WriteTileMatrixSet(XmlWriter w, TileMatrixSet tms, int maxIndex)
    {
        w.WriteStartElement("TileMatrixSet", WmtsNs);
        if (tms.Title is { Length: > 0 } title)
        {
            w.WriteElementString("ows", "Title", OwsNs, title);
        }

        w.WriteElementString("ows", "Identifier", OwsNs, tms.Id);
        w.WriteElementString("ows", "SupportedCRS", OwsNs, StandardLayerCatalog.CrsUrn(tms));
        if (tms.Id == WellKnownTileMatrixSets.WebMercatorQuad)
        {
            w.WriteElementString("WellKnownScaleSet", WmtsNs, "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible");
        }

        for (int i = 0; i <= maxIndex && i < tms.TileMatrices.Count; i++)
        {
            var m = tms.TileMatrices[i];
            w.WriteStartElement("TileMatrix", WmtsNs);
            w.WriteElementString("ows", "Identifier", OwsNs, m.Id);
            w.WriteElementString("ScaleDenominator", WmtsNs, Num(m.ScaleDenominator));
            // PointOfOrigin is kept in the CRS's authority axis order (lat/lon for EPSG:4326), as WMTS wants.
            w.WriteElementString("TopLeftCorner", WmtsNs, Num(m.PointOfOrigin[0]) + " " + Num(m.PointOfOrigin[1]));
            WriteIntegers(w, ("TileWidth", m.TileWidth), ("TileHeight", m.TileHeight), ("MatrixWidth", m.MatrixWidth), ("MatrixHeight", m.MatrixHeight));
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteCorners(XmlWriter w, double x0, double y0, double x1, double y1)
    {
        w.WriteElementString("ows", "LowerCorner", OwsNs, Num(x0) + " " + Num(y0));
        w.WriteElementString("ows", "UpperCorner", OwsNs, Num(x1) + " " + Num(y1));
    }

    /// <summary>WMTS elements holding one integer each, in order.</summary>
    private static void WriteIntegers(XmlWriter w, params ReadOnlySpan<(string Name, long Value)> elements)
    {
        foreach (var (name, value) in elements)
        {
            w.WriteElementString(name, WmtsNs, value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
