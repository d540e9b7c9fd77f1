using System.Globalization;
using TileServer.GeoZarr;
using TileServer.Reading.Selection;

namespace TileServer.Reading.Raster;

/// <summary>Display names of bands: the variable alone, or with the position of its varying dimension (<c>L7_ETMs[band=3]</c>).</summary>
internal static class BandNames
{
    public static IReadOnlyList<string> Of(DatasetLevel level, IReadOnlyList<BandSource> bands)
    {
        var names = new string[bands.Count];
        for (int b = 0; b < bands.Count; b++)
        {
            var band = bands[b];
            names[b] = band.Variable;
            if (bands.Count == 1 || !level.Variables.TryGetValue(band.Variable, out var variable))
            {
                continue;
            }

            var others = variable.OtherDimensions.ToList();
            for (int i = 0; i < others.Count; i++)
            {
                bool varies = bands.Any(o => o.Variable == band.Variable && o.OtherIndices[i] != band.OtherIndices[i]);
                if (varies)
                {
                    string position = BandSelection.IsBandDimension(others[i].Name) ? (band.OtherIndices[i] + 1).ToString(CultureInfo.InvariantCulture)
                        : others[i].Labels is { } labels ? labels[(int)band.OtherIndices[i]] : band.OtherIndices[i].ToString(CultureInfo.InvariantCulture);
                    names[b] = $"{band.Variable}[{others[i].Name}={position}]";
                }
            }
        }

        return names;
    }
}
