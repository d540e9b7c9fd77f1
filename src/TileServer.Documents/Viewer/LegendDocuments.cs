using System.Text.Json.Nodes;
using TileServer.GeoZarr;
using TileServer.Reading.Expressions;
using TileServer.Rendering;

namespace TileServer.Documents.Viewer;

/// <summary>Legends: what a single-band rendering's color bar shows, and <c>legend.json</c>.</summary>
public static class LegendDocuments
{
    /// <summary>
    /// The legend of a single-band rendering: the variable (or the expression drawn, which has no long name or units)
    /// with the resolved rescale and colormap; 0..255 in grey where the style has none.
    /// </summary>
    public static LegendSpec Spec(GeoVariable variable, BandExpression? expression, RenderOptions style)
        => new(expression?.Text ?? variable.Name, expression is null ? variable.LongName : null, expression is null ? variable.Units : null,
            style.Rescale.Count > 0 ? style.Rescale[0] : new ValueRange(0, 255), style.Colormap ?? Colormap.Grey());

    /// <summary><c>legend.json</c> of a single-band rendering: the color bar described, with where its image is.</summary>
    public static JsonObject Single(string datasetId, LegendSpec spec, bool labelsInImage, string imageUrl)
    {
        var doc = LegendRenderer.Describe(spec);
        doc.Insert(0, "dataset", datasetId);
        doc["bands"] = 1;
        doc["rescale"] = new JsonArray(new JsonArray(spec.Range.Min, spec.Range.Max));
        doc["labels_in_image"] = labelsInImage;
        doc["image"] = imageUrl;
        return doc;
    }

    /// <summary><c>legend.json</c> of a rendering composed from several bands into RGB(A): the bands and their rescale (no color scale).</summary>
    public static JsonObject Composite(string datasetId, IEnumerable<string> variables, GeoVariable first, int bandCount, IReadOnlyList<ValueRange> rescale) => new()
    {
        ["dataset"] = datasetId,
        ["variable"] = string.Join(",", variables.Distinct()),
        ["long_name"] = first.LongName,
        ["units"] = first.Units,
        ["bands"] = bandCount,
        ["rescale"] = new JsonArray(rescale.Select(r => (JsonNode)new JsonArray(r.Min, r.Max)).ToArray()),
        ["min"] = rescale.Count > 0 ? rescale[0].Min : 0,
        ["max"] = rescale.Count > 0 ? rescale[0].Max : 255,
        ["colormap_name"] = null,
        ["image"] = null,
    };
}
