using TileServer.Crs;
using TileServer.GeoZarr;

namespace TileServer.Reading.Style;

/// <summary>
/// Which chunks the statistics of a variable read, decided without I/O: the coarsest level holding the variable, all
/// of it when it has no more chunks than the budget, otherwise an evenly spread grid of chunks within the budget. Each
/// window is one chunk (one store read), strided so that all windows together stay within the sample cap.
/// </summary>
public sealed record StatisticsSample(DatasetLevel Level, GeoVariable Variable, IReadOnlyList<PixelWindow> Windows, long ChunksInLevel)
{
    /// <summary>True when the windows cover the whole level.</summary>
    public bool IsWholeLevel => Windows.Count == ChunksInLevel;

    public static StatisticsSample Plan(GeoDataset dataset, string variableName, int readBudget, long maxSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(readBudget, 1);
        var level = dataset.Levels.Last(l => l.Variables.ContainsKey(variableName));
        var variable = level.Variables[variableName];
        var chunkShape = variable.Array.ReadChunkShape;
        long height = variable.Grid.Height, width = variable.Grid.Width;
        long chunkRows = Math.Max(1, chunkShape[variable.YDim]), chunkCols = Math.Max(1, chunkShape[variable.XDim]);
        long gridRows = (height + chunkRows - 1) / chunkRows, gridCols = (width + chunkCols - 1) / chunkCols;
        long chunks = gridRows * gridCols;

        var (rows, cols) = chunks <= readBudget ? (Sequence(gridRows), Sequence(gridCols)) : Spread(gridRows, gridCols, readBudget);
        int count = rows.Length * cols.Length;
        long perWindow = Math.Max(1, maxSamples / Math.Max(1, count));
        var windows = new List<PixelWindow>(count);
        foreach (long r in rows)
        {
            foreach (long c in cols)
            {
                long row0 = r * chunkRows, col0 = c * chunkCols;
                long h = Math.Min(chunkRows, height - row0), w = Math.Min(chunkCols, width - col0);
                int step = 1;
                while (CeilDiv(h, step) * CeilDiv(w, step) > perWindow)
                {
                    step++;
                }

                windows.Add(new PixelWindow(row0, col0, (int)CeilDiv(h, step), (int)CeilDiv(w, step), step));
            }
        }

        return new StatisticsSample(level, variable, windows, chunks);
    }

    /// <summary>
    /// Rows and columns of a sample of at most <paramref name="budget"/> chunks, as many of each as the chunk grid's
    /// proportions ask for, each at the middle of an equal share of the grid.
    /// </summary>
    public static (long[] Rows, long[] Cols) Spread(long gridRows, long gridCols, int budget)
    {
        long ky = Math.Clamp((long)Math.Round(Math.Sqrt(budget * (double)gridRows / gridCols)), 1, Math.Min(gridRows, budget));
        long kx = Math.Clamp(budget / ky, 1, gridCols);
        return (Centres(gridRows, ky), Centres(gridCols, kx));
    }

    private static long[] Centres(long n, long k)
    {
        var result = new long[k];
        for (long i = 0; i < k; i++)
        {
            result[i] = Math.Min(n - 1, (long)((i + 0.5) * n / k));
        }

        return result;
    }

    private static long[] Sequence(long n)
    {
        var result = new long[n];
        for (long i = 0; i < n; i++)
        {
            result[i] = i;
        }

        return result;
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
