using System.Globalization;
using TileServer.GeoZarr;

namespace TileServer.Reading.Selection;

/// <summary>Turns a selected value of a dimension into its index: ISO time, a coordinate value, or (without coordinates) a 0-based index.</summary>
public static class DimensionIndex
{
    public static long Of(DimensionInfo dim, string text, bool nearest)
    {
        double? target = null;
        if (dim.IsTime && dim.Time is { } time)
        {
            target = time.FromIso(text);
        }

        if (target is null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            target = number;
        }

        if (dim.Values is not { } values)
        {
            if (target is { } idx && idx == Math.Floor(idx) && idx >= 0 && idx < dim.Size)
            {
                return (long)idx;
            }

            throw new BadRequestException("sel", $"Dimension '{dim.Name}' has no coordinates; select it by a 0-based index below {dim.Size}, not '{text}'.");
        }

        if (target is null)
        {
            // Labels may match textually (e.g. a time given exactly as listed).
            for (int i = 0; i < dim.Labels!.Count; i++)
            {
                if (string.Equals(dim.Labels[i], text, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            throw new BadRequestException("sel", $"'{text}' is not a valid value for dimension '{dim.Name}'" + (dim.IsTime ? " (use ISO 8601, e.g. 2000-01-31 or 2000-01-31T12:00:00Z)." : "."));
        }

        int best = -1;
        double bestDistance = double.PositiveInfinity;
        for (int i = 0; i < values.Count; i++)
        {
            double d = Math.Abs(values[i] - target.Value);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = i;
            }
        }

        double tolerance = Math.Max(1e-9, Math.Abs(target.Value) * 1e-9);
        if (best >= 0 && (nearest || bestDistance <= tolerance))
        {
            return best;
        }

        throw new BadRequestException("sel", $"'{text}' is not a value of dimension '{dim.Name}' (values: {Preview(dim)}); add sel_method=nearest to take the closest.");
    }

    private static string Preview(DimensionInfo dim)
    {
        var labels = dim.Labels ?? [];
        return labels.Count <= 6 ? string.Join(", ", labels) : string.Join(", ", labels.Take(3)) + ", …, " + string.Join(", ", labels.Skip(labels.Count - 2));
    }
}
