using TileServer.GeoZarr;

namespace TileServer.Reading.Selection;

/// <summary>
/// Decides which 2-D planes a request reads: the variable(s) and the index of every non-spatial dimension (from
/// <c>sel</c>, <c>bidx</c> or the dataset's defaults) — a pure function of the dataset and the request.
/// </summary>
public static class BandSelection
{
    /// <summary>At most this many bands compose one image (RGBA).</summary>
    public const int MaxBands = 4;

    private static readonly string[] BandDimNames = ["band", "bands", "channel", "channels", "spectral_band", "rgb"];

    public static bool IsBandDimension(string name) => BandDimNames.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <param name="defaultVariable">The variable read when the request names none (null = the first).</param>
    /// <param name="defaultBidx">Bands of the default rendering, used when the request selects none.</param>
    public static IReadOnlyList<BandSource> Resolve(GeoDataset dataset, string? defaultVariable, IReadOnlyList<int> defaultBidx, ReadRequest request)
    {
        var names = request.Variables.Count > 0 ? request.Variables : [defaultVariable ?? dataset.VariableNames[0]];
        var variables = names.Select(n => RequireVariable(dataset, n)).ToArray();
        if (names.Count > 1 && request.Bidx.Count > 0)
        {
            throw new BadRequestException("bidx", "bidx selects bands of one variable; with several variables each one is a band.");
        }

        if (names.Count > MaxBands)
        {
            throw new BadRequestException("variable", $"At most {MaxBands} variables (RGBA) can be composed into one image.");
        }

        CheckSelectedDimensions(variables, request.Selections);
        var result = new List<BandSource>();
        foreach (var variable in variables)
        {
            var others = variable.OtherDimensions.ToList();
            int bandDim = names.Count == 1 ? FindBandDim(others, request) : -1;
            var fixedIndices = new long[others.Count];
            for (int i = 0; i < others.Count; i++)
            {
                string? sel = Selected(request.Selections, others[i].Name);
                fixedIndices[i] = sel is not null ? DimensionIndex.Of(others[i], sel, request.SelectNearest) : 0;
            }

            if (bandDim < 0)
            {
                if (request.Bidx.Count > 0)
                {
                    throw new BadRequestException("bidx", $"Variable '{variable.Name}' has no band dimension to select from.");
                }

                result.Add(new BandSource(variable.Name, fixedIndices));
                continue;
            }

            var bandDimension = others[bandDim];
            bool bandSelected = Selected(request.Selections, bandDimension.Name) is not null;
            IReadOnlyList<int> bands = request.Bidx.Count > 0 ? request.Bidx
                : defaultBidx.Count > 0 && !bandSelected ? defaultBidx
                : bandDimension.Size is 3 or 4 && !bandSelected ? Enumerable.Range(1, (int)bandDimension.Size).ToArray()
                : [(int)fixedIndices[bandDim] + 1];
            if (bands.Count > MaxBands)
            {
                throw new BadRequestException("bidx", $"At most {MaxBands} bands (RGBA) can be composed into one image.");
            }

            foreach (int b in bands)
            {
                if (b < 1 || b > bandDimension.Size)
                {
                    throw new BadRequestException("bidx", $"Band {b} is outside 1..{bandDimension.Size} of dimension '{bandDimension.Name}'.");
                }

                var indices = (long[])fixedIndices.Clone();
                indices[bandDim] = b - 1;
                result.Add(new BandSource(variable.Name, indices));
            }
        }

        return result;
    }

    /// <summary>The variable of the finest level, or 404 naming the variables there are.</summary>
    public static GeoVariable RequireVariable(GeoDataset dataset, string name)
        => dataset.FindVariable(name)
            ?? throw new NotFoundException("Unknown variable", $"Dataset '{dataset.Id}' has no variable '{name}'; it has: {string.Join(", ", dataset.VariableNames)}.", "variable");

    /// <summary>Every selected dimension must belong to one of the variables.</summary>
    public static void CheckSelectedDimensions(IReadOnlyList<GeoVariable> variables, IReadOnlyList<DimensionSelection> selections)
    {
        foreach (var (dim, _) in selections)
        {
            if (!variables.Any(v => v.OtherDimensions.Any(d => d.Name == dim)))
            {
                throw new BadRequestException("sel", $"Unknown dimension '{dim}' in sel; the dimensions besides y/x are: {string.Join(", ", variables.SelectMany(v => v.OtherDimensions.Select(d => d.Name)).Distinct())}.");
            }
        }
    }

    public static string? Selected(IReadOnlyList<DimensionSelection> selections, string dimension)
    {
        foreach (var s in selections)
        {
            if (s.Dimension == dimension)
            {
                return s.Value;
            }
        }

        return null;
    }

    private static int FindBandDim(List<DimensionInfo> others, ReadRequest request)
    {
        int named = others.FindIndex(d => IsBandDimension(d.Name));
        if (named >= 0)
        {
            return named;
        }

        if (request.Bidx.Count > 0)
        {
            // bidx on a variable with exactly one non-trivial extra dimension selects along it.
            var candidates = others.Select((d, i) => (d, i)).Where(t => t.d.Size > 1 && Selected(request.Selections, t.d.Name) is null).ToList();
            return candidates.Count == 1 ? candidates[0].i : -1;
        }

        return -1;
    }
}
