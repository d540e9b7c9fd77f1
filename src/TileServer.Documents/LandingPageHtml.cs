using System.Globalization;
using System.Net;
using System.Text;
using TileServer.Reading.Catalog;

namespace TileServer.Documents;

/// <summary>The landing page for browsers: where to go next.</summary>
public static class LandingPageHtml
{
    public static string Render(string baseUrl, IReadOnlyList<DatasetEntry> entries)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>GeoZarr tile server</title>")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
          .Append("<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}")
          .Append("table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}code{background:#f4f4f4;padding:0 .2rem}</style></head><body>")
          .Append("<h1>GeoZarr tile server</h1><p>Map tiles from Zarr (v2/v3) and GeoZarr datasets.</p><h2>Services</h2><ul>");
        foreach (var (href, label) in new[]
        {
            ("/docs", "API documentation (OpenAPI)"), ("/datasets", "Datasets (JSON)"), ("/collections", "OGC API - Tiles collections"),
            ("/conformance", "OGC API conformance"), ("/tileMatrixSets", "Tile matrix sets"), ("/wmts/1.0.0/WMTSCapabilities.xml", "WMTS 1.0.0 capabilities (RESTful)"),
            ("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities", "WMTS 1.0.0 capabilities (KVP)"), ("/?f=json", "This page as JSON"),
        })
        {
            sb.Append("<li><a href=\"").Append(E(baseUrl + href)).Append("\">").Append(E(label)).Append("</a></li>");
        }

        sb.Append("</ul><h2>Datasets</h2><table><tr><th>id</th><th>title</th><th>links</th></tr>");
        foreach (var entry in entries)
        {
            string id = Uri.EscapeDataString(entry.Id);
            sb.Append("<tr><td><code>").Append(E(entry.Id)).Append("</code></td><td>").Append(E(entry.Reader?.Title ?? entry.Definition.Title ?? entry.Id));
            if (entry.Reader is null)
            {
                sb.Append(" (unavailable: ").Append(E(entry.Error)).Append(")</td><td></td></tr>");
                continue;
            }

            sb.Append("</td><td>")
              .Append(CultureInfo.InvariantCulture, $"<a href=\"{E(baseUrl)}/datasets/{id}/viewer\">viewer</a> · ")
              .Append(CultureInfo.InvariantCulture, $"<a href=\"{E(baseUrl)}/tiles/{id}/tilejson.json\">TileJSON</a> · ")
              .Append(CultureInfo.InvariantCulture, $"<a href=\"{E(baseUrl)}/collections/{id}\">collection</a> · ")
              .Append(CultureInfo.InvariantCulture, $"<a href=\"{E(baseUrl)}/datasets/{id}\">metadata</a></td></tr>");
        }

        sb.Append("</table></body></html>");
        return sb.ToString();
    }
}
