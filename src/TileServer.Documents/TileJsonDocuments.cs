using System.Text.Json.Nodes;
using TileServer.Documents.Requests;
using TileServer.Reading;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Documents;

/// <summary>TileJSON 3.0.0 for a dataset, whose tile template carries the request's rendering parameters.</summary>
public static class TileJsonDocuments
{
    /// <summary>
    /// The dataset's TileJSON in <paramref name="tms"/>; <paramref name="explicitTms"/> when the URL names the set (the
    /// template then does too, and the document says which).
    /// </summary>
    public static JsonObject TileJson(DatasetReader reader, TileMatrixSet tms, bool explicitTms, TileJsonRequest request, string baseUrl)
    {
        string normalized = request.Query.Normalized();
        string tmsSegment = explicitTms ? "/" + tms.Id : "";
        string template = $"{baseUrl}/tiles/{reader.Id}{tmsSegment}/{{z}}/{{x}}/{{y}}{request.ScaleSuffix}.{request.Format.FileExtension()}" + (normalized.Length > 0 ? "?" + normalized : "");

        var geo = reader.Geography;
        var bounds = geo.BoundsFor(tms);
        var (minZoom, maxZoom) = geo.ZoomRange(tms);
        var ds = reader.Dataset;
        var doc = new JsonObject
        {
            ["tilejson"] = "3.0.0",
            ["name"] = ds.Title,
            ["description"] = ds.Description ?? $"{ds.Title} ({string.Join(", ", ds.VariableNames)})",
            ["version"] = "1.0.0",
            ["scheme"] = "xyz",
            ["tiles"] = new JsonArray(template),
            ["minzoom"] = minZoom,
            ["maxzoom"] = maxZoom,
            ["bounds"] = DatasetDocuments.Bounds(bounds),
            ["center"] = new JsonArray((bounds.MinX + bounds.MaxX) / 2, (bounds.MinY + bounds.MaxY) / 2, Math.Clamp(minZoom + 1, minZoom, maxZoom)),
            ["tileSize"] = (tms.TileMatrices[0].TileWidth * request.Scale),
        };
        if (ds.Attribution is { Length: > 0 } attribution)
        {
            doc["attribution"] = attribution;
        }

        if (explicitTms)
        {
            doc["tileMatrixSet"] = tms.Id;
        }

        // A color bar exists for single-band renderings; composites get the JSON description of their bands.
        var bandCount = reader.OutputBandCount(request.Query.Read);
        doc["legend"] = $"{baseUrl}/datasets/{reader.Id}/legend.{(bandCount == 1 ? "png" : "json")}" + (normalized.Length > 0 ? "?" + normalized : "");
        return doc;
    }
}
