using System.Globalization;

namespace TileServer.Reading;

/// <summary>A linear stretch of decoded values: <see cref="Min"/> maps to the darkest colour, <see cref="Max"/> to the brightest.</summary>
public readonly record struct Stretch(double Min, double Max)
{
    /// <summary>Parses "min,max" with finite numbers and min &lt; max.</summary>
    public static bool TryParse(string text, out Stretch stretch)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double max)
            && double.IsFinite(min) && double.IsFinite(max) && max > min)
        {
            stretch = new Stretch(min, max);
            return true;
        }

        stretch = default;
        return false;
    }
}
