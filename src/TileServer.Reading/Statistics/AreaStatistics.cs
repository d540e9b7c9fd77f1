namespace TileServer.Reading.Statistics;

/// <summary>
/// Statistics of every band (and time step) over one area, with what was read: the level (0 = finest), its path,
/// the stride (1 = every cell), the window's size and how many of its cells the area selects.
/// </summary>
public sealed record AreaStatistics(
    IReadOnlyList<(string Band, BandStatistics Statistics)> Bands,
    int LevelIndex,
    string LevelPath,
    int Step,
    int Width,
    int Height,
    long SelectedPixels)
{
    /// <summary>Milliseconds spent reading (store, decode, copy), selecting cells (rasterising the geometry) and computing.</summary>
    public (double Read, double Select, double Compute) Timings { get; init; }
}

/// <summary>
/// A time series as selections: <c>sel</c> given several times for one dimension asks for every one of those values,
/// so the request becomes one per combination (each fixing every dimension once) with a label such as
/// <c>time=2000-02-01</c>. A pure function.
/// </summary>
public static class SelectionSteps
{
    public const int MaxSteps = 1000;

    public static IReadOnlyList<(ReadRequest Request, string Label)> Expand(ReadRequest request)
    {
        var groups = request.Selections.GroupBy(s => s.Dimension, StringComparer.Ordinal).Select(g => g.Distinct().ToArray()).ToArray();
        if (groups.All(g => g.Length == 1))
        {
            return [(request, "")];
        }

        long count = groups.Aggregate(1L, (n, g) => Math.Min(MaxSteps + 1L, n * g.Length));
        if (count > MaxSteps)
        {
            throw new TooLargeException($"The selections ask for more than {MaxSteps} combinations of dimension values; narrow sel.", "sel");
        }

        var steps = new List<(ReadRequest, string)>();
        var position = new int[groups.Length];
        while (true)
        {
            var chosen = groups.Select((g, i) => g[position[i]]).ToArray();
            string label = string.Join(",", chosen.Where((_, i) => groups[i].Length > 1).Select(s => s.Dimension + "=" + s.Value));
            steps.Add((request with { Selections = chosen }, label));
            int k = groups.Length - 1;
            while (k >= 0 && ++position[k] == groups[k].Length)
            {
                position[k--] = 0;
            }

            if (k < 0)
            {
                return steps;
            }
        }
    }

    /// <summary>Every requested dimension once (the first value), for routes that read one plane per band.</summary>
    public static void RequireSingle(ReadRequest request)
    {
        var repeated = request.Selections.GroupBy(s => s.Dimension, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new BadRequestException("sel", $"sel gives dimension '{repeated.Key}' more than once; an image shows one value of it (statistics accept several: a time series).");
        }
    }

    internal static string Name(string band, string label) => label.Length == 0 ? band : band + "[" + label + "]";
}
