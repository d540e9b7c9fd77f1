using TileServer.Reading;

namespace TileServer.Documents.Requests;

/// <summary>What a WMS or WMTS request for a <see cref="StandardLayer"/> reads and draws.</summary>
public static class LayerQuery
{
    /// <summary>
    /// The tile rendering parameters of the request (rescale, colormap_name, resampling, ...) with the layer's variable,
    /// the style as colormap and the dimension values; only those parameters are passed on, the OGC ones stay with their parser.
    /// </summary>
    public static TileQuery Parse(RequestParameters query, StandardLayer layer, string style, IReadOnlyList<DimensionSelection> selections)
    {
        var parsed = TileQuery.Parse(new RequestParameters(query.All.Where(p => TileQuery.KnownParameters.Contains(p.Key, StringComparer.Ordinal))), int.MaxValue);
        bool byRequest = style == StandardLayer.DefaultStyle;
        return parsed with
        {
            Read = parsed.Read with { Variables = [layer.Variable], Selections = [.. parsed.Read.Selections.Where(s => selections.All(d => d.Dimension != s.Dimension)), .. selections] },
            ColormapName = byRequest ? parsed.ColormapName : style,
            ColormapJson = byRequest ? parsed.ColormapJson : null,
            TileSize = null,
        };
    }

    /// <summary>GetFeatureInfo's read: the <c>/point</c> values of the layer's variable at the query's dimension values.</summary>
    public static ReadRequest Point(StandardLayer layer, TileQuery query)
        => new() { Variables = [layer.Variable], Selections = query.Read.Selections, SelectNearest = query.Read.SelectNearest, Nodata = query.Read.Nodata };
}
