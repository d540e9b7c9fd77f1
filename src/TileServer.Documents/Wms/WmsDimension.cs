namespace TileServer.Documents.Wms;

/// <summary>
/// A layer dimension as WMS 1.3.0 names it (Annex C): time is <c>time</c> (request parameter <c>TIME</c>), the first
/// vertical dimension is <c>elevation</c> (<c>ELEVATION</c>), any other keeps its name and is asked for with
/// <c>DIM_{NAME}</c>. Values and default are the layer's (as WMTS lists them).
/// </summary>
public sealed record WmsDimension(LayerDimension Dimension, string Name, string Parameter, string Units)
{
    private static readonly string[] VerticalNames =
        ["elevation", "height", "depth", "level", "lev", "plev", "pressure", "pressure_level", "isobaric", "isobaricinhpa", "altitude", "alt", "z"];

    private static readonly string[] PressureUnits = ["hpa", "pa", "mbar", "millibar", "millibars", "hectopascal", "hectopascals"];

    /// <summary>The WMS dimensions of a layer, in the layer's order.</summary>
    public static IReadOnlyList<WmsDimension> Of(StandardLayer layer)
    {
        var result = new List<WmsDimension>(layer.Dimensions.Count);
        bool elevationTaken = false;
        foreach (var d in layer.Dimensions)
        {
            if (d.IsTime && !result.Any(r => r.Name == "time"))
            {
                result.Add(new WmsDimension(d, "time", "TIME", "ISO8601"));
            }
            else if (!elevationTaken && IsVertical(d))
            {
                elevationTaken = true;
                result.Add(new WmsDimension(d, "elevation", "ELEVATION", d.Units ?? ""));
            }
            else
            {
                result.Add(new WmsDimension(d, d.Name, "DIM_" + d.Name.ToUpperInvariant(), d.Units ?? ""));
            }
        }

        return result;
    }

    /// <summary>A vertical axis by its conventional name or a pressure unit (CF leaves the rest to <c>axis</c>/<c>positive</c>, which the layer does not carry).</summary>
    public static bool IsVertical(LayerDimension d)
        => !d.IsTime && (VerticalNames.Contains(d.Name.ToLowerInvariant()) || (d.Units is { } u && PressureUnits.Contains(u.Trim().ToLowerInvariant())));
}
