using System.Globalization;
using TileServer.Api.Rendering;
using TileServer.Documents;
using TileServer.Reading;
using TileServer.Reading.Point;

namespace TileServer.Api.Endpoints.Viewer;

/// <summary>The <c>/point</c> request and its JSON answer (API.md "Point response").</summary>
public static class PointResponse
{
    /// <summary>lon/lat (WGS 84 degrees, required) and the data-selecting tile parameters (variable, sel, sel_method).</summary>
    public static (double Lon, double Lat, ReadRequest Request) Parse(IQueryCollection query, int maxTileSize)
    {
        double lon = ParseCoordinate(query, "lon", -180, 360);
        double lat = ParseCoordinate(query, "lat", -90, 90);
        // The tile parameters' parsing gives variable/sel/sel_method the same syntax and errors as on tiles.
        var tile = TileQuery.Parse(query, maxTileSize);
        return (lon, lat, new ReadRequest { Variables = tile.Variables, Selections = tile.Selections, SelectNearest = tile.SelectNearest, Nodata = tile.Nodata, Expression = tile.Expression });
    }

    /// <summary>The JSON answer (written by <see cref="PointDocuments.ToJson"/>, which GetFeatureInfo shares).</summary>
    public static ReadOnlyMemory<byte> ToJson(PointValues values) => PointDocuments.ToJson(values);

    private static double ParseCoordinate(IQueryCollection query, string name, double min, double max)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            throw new BadRequestException(name, $"'{name}' is required (decimal degrees, WGS84).");
        }

        if (values.Count > 1)
        {
            throw new BadRequestException(name, $"'{name}' may be given only once.");
        }

        string text = values[0]!.Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            throw new BadRequestException(name, $"'{name}' must be a number in decimal degrees, not '{text}'.");
        }

        if (v < min || v > max)
        {
            throw new BadRequestException(name, $"'{name}' must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not {text}.");
        }

        return v;
    }
}
