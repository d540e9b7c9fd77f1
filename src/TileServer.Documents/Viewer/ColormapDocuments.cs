using System.Globalization;
using System.Text.Json.Nodes;
using TileServer.Rendering;

namespace TileServer.Documents.Viewer;

/// <summary>The colormaps as TiTiler lists and gives them (<c>/colorMaps</c>).</summary>
public static class ColormapDocuments
{
    /// <summary>The names of the built-in colormaps, each also reversed with <c>_r</c>, with links.</summary>
    public static JsonObject List(IEnumerable<string> names, string baseUrl) => new()
    {
        ["colorMaps"] = new JsonArray(names.SelectMany(n => new[] { n, n + "_r" }).Order(StringComparer.Ordinal).Select(n => (JsonNode)n).ToArray()),
        ["links"] = new JsonArray(
            Link("self", $"{baseUrl}/colorMaps", "application/json", "List of available colormaps", templated: false),
            Link("data", $"{baseUrl}/colorMaps/{{colorMapId}}", "application/json", "Retrieve colorMap metadata", templated: true),
            Link("data", $"{baseUrl}/colorMaps/{{colorMapId}}?format=png", "image/png", "Retrieve colorMap as image", templated: true)),
    };

    /// <summary>A colormap's entries: <c>{"0": [r, g, b, a], ..., "255": [...]}</c>.</summary>
    public static JsonObject Entries(Colormap colormap)
    {
        var doc = new JsonObject();
        for (int i = 0; i < Colormap.Size; i++)
        {
            var c = colormap[i];
            doc[i.ToString(CultureInfo.InvariantCulture)] = new JsonArray(c.R, c.G, c.B, c.A);
        }

        return doc;
    }

    private static JsonObject Link(string rel, string href, string type, string title, bool templated)
    {
        var link = new JsonObject { ["href"] = href, ["rel"] = rel, ["type"] = type, ["title"] = title };
        if (templated)
        {
            link["templated"] = true;
        }

        return link;
    }
}
