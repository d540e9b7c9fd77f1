using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>
/// Chooses the pyramid level a tile is made from: the coarsest level whose cell size is ≤ the tile's cell size
/// (expressed in the dataset's CRS), the finest if none — the rule the reference tiles were made with.
/// </summary>
public static class LevelSelector
{
    private const double RelativeTolerance = 1e-9;

    /// <summary>
    /// Index into <paramref name="levels"/> (finest first). A level's cell size is its coarser axis
    /// (max of ResolutionX/Y); it qualifies when ≤ <paramref name="tileCellSize"/> × <paramref name="bias"/>
    /// within 1e-9 relative. Bias &gt; 1 accepts coarser levels (faster, blurrier).
    /// </summary>
    public static int SelectIndex(IReadOnlyList<GridGeometry> levels, double tileCellSize, double bias = 1.0)
    {
        if (levels.Count == 0)
        {
            throw new ArgumentException("no levels", nameof(levels));
        }

        if (!(tileCellSize > 0) || double.IsInfinity(tileCellSize))
        {
            return 0;
        }

        double limit = tileCellSize * bias * (1 + RelativeTolerance);
        int best = 0;
        double bestCell = -1;
        for (int i = 0; i < levels.Count; i++)
        {
            double cell = Math.Max(levels[i].ResolutionX, levels[i].ResolutionY);
            if (cell <= limit && cell > bestCell)
            {
                best = i;
                bestCell = cell;
            }
        }

        return best;
    }

    /// <summary>
    /// Level for a tile of <paramref name="tms"/>/<paramref name="matrix"/>: when the dataset's pyramid is built on the
    /// same TileMatrixSet and has a level for this matrix id, that level; otherwise <see cref="SelectIndex"/>.
    /// </summary>
    public static int Select(IReadOnlyList<PyramidLevel> levels, string? datasetTileMatrixSetId, TileMatrixSet tms, TileMatrix matrix, double tileCellSizeInDatasetCrs, double bias = 1.0)
    {
        if (datasetTileMatrixSetId is not null && string.Equals(datasetTileMatrixSetId, tms.Id, StringComparison.OrdinalIgnoreCase))
        {
            for (int i = 0; i < levels.Count; i++)
            {
                if (string.Equals(levels[i].TileMatrixId, matrix.Id, StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }

        var grids = new GridGeometry[levels.Count];
        for (int i = 0; i < grids.Length; i++)
        {
            grids[i] = levels[i].Grid;
        }

        return SelectIndex(grids, tileCellSizeInDatasetCrs, bias);
    }

    /// <summary>
    /// The tile's cell size in the dataset CRS: the centre output pixel and its right and lower neighbours are
    /// transformed and the SMALLER of the two distances is used (never under-samples: for a WebMercator tile over
    /// EPSG:4326 data the latitude step, which shrinks with cos(lat), wins). If the centre cannot be transformed,
    /// other points of a 3×3 pattern are tried. <paramref name="toDataset"/> null = same CRS.
    /// Returns NaN when no point transforms.
    /// </summary>
    public static double TileCellSizeInCrs(Extent tileBounds, int width, int height, ICoordinateTransform? toDataset)
    {
        double px = tileBounds.Width / width, py = tileBounds.Height / height;
        if (toDataset is null || toDataset.IsIdentity)
        {
            return Math.Min(px, py);
        }

        ReadOnlySpan<double> fractions = [0.5, 1.0 / 6, 5.0 / 6];
        Span<double> xs = stackalloc double[3];
        Span<double> ys = stackalloc double[3];
        foreach (double fy in fractions)
        {
            foreach (double fx in fractions)
            {
                double x = tileBounds.MinX + (Math.Floor(fx * width) + 0.5) * px;
                double y = tileBounds.MaxY - (Math.Floor(fy * height) + 0.5) * py;
                xs[0] = x; ys[0] = y;
                xs[1] = x + px; ys[1] = y;
                xs[2] = x; ys[2] = y - py;
                toDataset.Transform(xs, ys);
                double dxr = Math.Sqrt(Sq(xs[1] - xs[0]) + Sq(ys[1] - ys[0]));
                double dyr = Math.Sqrt(Sq(xs[2] - xs[0]) + Sq(ys[2] - ys[0]));
                double d = Math.Min(dxr, dyr);
                if (double.IsFinite(d) && d > 0)
                {
                    return d;
                }
            }
        }

        return double.NaN;
    }

    private static double Sq(double v) => v * v;
}

/// <summary>What level choice needs to know of one pyramid level: its grid and, for TMS-based pyramids, its tile matrix id.</summary>
public readonly record struct PyramidLevel(GridGeometry Grid, string? TileMatrixId);
