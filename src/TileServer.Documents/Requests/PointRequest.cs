using System.Globalization;
using TileServer.Reading;

namespace TileServer.Documents.Requests;

/// <summary>The <c>/point</c> request: where (lon/lat) and what (the data-selecting tile parameters).</summary>
public static class PointRequest
{
    public static readonly string[] KnownParameters = ["lon", "lat", "variable", "sel", "sel_method", "nodata", "expression"];

    /// <summary>lon/lat (WGS 84 degrees, required) and the data-selecting tile parameters (variable, sel, sel_method, nodata, expression).</summary>
    public static (double Lon, double Lat, ReadRequest Request) Parse(RequestParameters query, int maxTileSize)
    {
        double lon = ParseCoordinate(query, "lon", -180, 360);
        double lat = ParseCoordinate(query, "lat", -90, 90);
        // The tile parameters' parsing gives variable/sel/sel_method the same syntax and errors as on tiles.
        var read = TileQuery.Parse(query, maxTileSize).Read;
        return (lon, lat, new ReadRequest { Variables = read.Variables, Selections = read.Selections, SelectNearest = read.SelectNearest, Nodata = read.Nodata, Expression = read.Expression });
    }

    private static double ParseCoordinate(RequestParameters query, string name, double min, double max)
    {
        var values = query[name];
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
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
