using System.Globalization;
using TileServer.Api.Errors;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading;
using TileServer.Tiling;

namespace TileServer.Api.Rendering;

/// <summary>
/// Decides which 2-D planes a request renders: the variable(s), the index of every non-spatial dimension
/// (from <c>sel</c>, <c>bidx</c> or defaults) — a pure function of the dataset and the query.
/// </summary>
public static class BandSelection
{
    private static readonly string[] BandDimNames = ["band", "bands", "channel", "channels", "spectral_band", "rgb"];

    public static IReadOnlyList<BandSource> Resolve(GeoDataset dataset, string? defaultVariable, string? defaultBidx, TileQuery query)
    {
        var names = query.Variables.Count > 0 ? query.Variables : [defaultVariable ?? dataset.VariableNames[0]];
        foreach (var name in names)
        {
            if (dataset.FindVariable(name) is null)
            {
                throw ApiProblemException.NotFound("Unknown variable", $"Dataset '{dataset.Id}' has no variable '{name}'; it has: {string.Join(", ", dataset.VariableNames)}.", "variable");
            }
        }

        if (names.Count > 1 && query.Bidx.Count > 0)
        {
            throw ApiProblemException.BadParameter("bidx", "bidx selects bands of one variable; with several variables each one is a band.");
        }

        if (names.Count > 4)
        {
            throw ApiProblemException.BadParameter("variable", "At most 4 variables (RGBA) can be composed into one tile.");
        }

        foreach (var (dim, _) in query.Selections)
        {
            if (!names.Any(n => dataset.FindVariable(n)!.OtherDimensions.Any(d => d.Name == dim)))
            {
                throw ApiProblemException.BadParameter("sel", $"Unknown dimension '{dim}' in sel; the variable's dimensions besides y/x are: {string.Join(", ", names.SelectMany(n => dataset.FindVariable(n)!.OtherDimensions.Select(d => d.Name)).Distinct())}.");
            }
        }

        var result = new List<BandSource>();
        foreach (var name in names)
        {
            var variable = dataset.FindVariable(name)!;
            var others = variable.OtherDimensions.ToList();
            int bandDim = names.Count == 1 ? FindBandDim(others, query) : -1;
            var fixedIndices = new long[others.Count];
            for (int i = 0; i < others.Count; i++)
            {
                var dim = others[i];
                var sel = query.Selections.Where(s => s.Key == dim.Name).Select(s => s.Value).FirstOrDefault();
                fixedIndices[i] = sel is not null ? IndexOf(dim, sel, query.SelectNearest) : 0;
            }

            if (bandDim < 0)
            {
                if (query.Bidx.Count > 0)
                {
                    throw ApiProblemException.BadParameter("bidx", $"Variable '{name}' has no band dimension to select from.");
                }

                result.Add(new BandSource(name, fixedIndices));
                continue;
            }

            var bands = query.Bidx.Count > 0 ? query.Bidx
                : defaultBidx is { Length: > 0 } && query.Selections.All(s => s.Key != others[bandDim].Name) ? ParseBidx(defaultBidx)
                : others[bandDim].Size is 3 or 4 && query.Selections.All(s => s.Key != others[bandDim].Name) ? Enumerable.Range(1, (int)others[bandDim].Size).ToArray()
                : [(int)fixedIndices[bandDim] + 1];
            if (bands.Count > 4)
            {
                throw ApiProblemException.BadParameter("bidx", "At most 4 bands (RGBA) can be composed into one tile.");
            }

            foreach (int b in bands)
            {
                if (b < 1 || b > others[bandDim].Size)
                {
                    throw ApiProblemException.BadParameter("bidx", $"Band {b} is outside 1..{others[bandDim].Size} of dimension '{others[bandDim].Name}'.");
                }

                var indices = (long[])fixedIndices.Clone();
                indices[bandDim] = b - 1;
                result.Add(new BandSource(name, indices));
            }
        }

        return result;
    }

    /// <summary>The index of a dimension value: ISO time, a coordinate value, or (without coordinates) a 0-based index.</summary>
    public static long IndexOf(DimensionInfo dim, string text, bool nearest)
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

            throw ApiProblemException.BadParameter("sel", $"Dimension '{dim.Name}' has no coordinates; select it by a 0-based index below {dim.Size}, not '{text}'.");
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

            throw ApiProblemException.BadParameter("sel", $"'{text}' is not a valid value for dimension '{dim.Name}'" + (dim.IsTime ? " (use ISO 8601, e.g. 2000-01-31 or 2000-01-31T12:00:00Z)." : "."));
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

        throw ApiProblemException.BadParameter("sel", $"'{text}' is not a value of dimension '{dim.Name}' (values: {Preview(dim)}); add sel_method=nearest to take the closest.");
    }

    private static string Preview(DimensionInfo dim)
    {
        var labels = dim.Labels ?? [];
        return labels.Count <= 6 ? string.Join(", ", labels) : string.Join(", ", labels.Take(3)) + ", …, " + string.Join(", ", labels.Skip(labels.Count - 2));
    }

    private static int FindBandDim(List<DimensionInfo> others, TileQuery query)
    {
        int named = others.FindIndex(d => BandDimNames.Contains(d.Name, StringComparer.OrdinalIgnoreCase));
        if (named >= 0)
        {
            return named;
        }

        if (query.Bidx.Count > 0)
        {
            // bidx on a variable with exactly one non-trivial extra dimension selects along it.
            var candidates = others.Select((d, i) => (d, i)).Where(t => t.d.Size > 1 && query.Selections.All(s => s.Key != t.d.Name)).ToList();
            return candidates.Count == 1 ? candidates[0].i : -1;
        }

        return -1;
    }

    private static int[] ParseBidx(string text)
        => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
