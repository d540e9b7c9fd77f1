using TileServer.Crs;

namespace TileServer.Reading.Areas;

/// <summary>
/// A window of a level's grid: rows <see cref="Row"/>.., columns <see cref="Col"/>.. (columns may run past the grid's
/// edge on grids that wrap around the globe: they are read modulo the width), every <see cref="Step"/>-th cell.
/// </summary>
public readonly record struct NativeWindow(int LevelIndex, long Row, long Col, int Rows, int Cols, int Step)
{
    /// <summary>Cells of the output (after the stride).</summary>
    public int OutRows => (Rows + Step - 1) / Step;
    public int OutCols => (Cols + Step - 1) / Step;
    public long OutPixels => (long)OutRows * OutCols;
}

/// <summary>Pure decisions about native windows: which cells a box touches, and the finest level whose window fits a budget.</summary>
public static class NativeWindowPlanner
{
    /// <summary>
    /// The cells of <paramref name="grid"/> that the box (in the grid's CRS) touches, or null when it misses the grid.
    /// Rows are clamped to the grid; columns too unless the grid wraps the globe in longitude.
    /// </summary>
    public static (long Row, long Col, int Rows, int Cols)? Cells(GridGeometry grid, Extent box)
    {
        if (grid.Kind != GridKind.Regular)
        {
            // Cells placed by coordinates have no affine window and bounds to return them with.
            throw new FeatureUnavailableException($"Areas in the native grid need a regular grid (this one is {grid.Kind.ToString().ToLowerInvariant()}); give a size or dst_crs to resample instead.");
        }

        var t = grid.Transform;
        if (!t.IsRectilinear)
        {
            throw new FeatureUnavailableException("Areas in the native grid need a grid whose axes follow x and y (this one is rotated); give a size or dst_crs to resample instead.");
        }

        var (c0, r0) = t.Invert(box.MinX, box.MinY);
        var (c1, r1) = t.Invert(box.MaxX, box.MaxY);
        double colMin = Math.Min(c0, c1), colMax = Math.Max(c0, c1), rowMin = Math.Min(r0, r1), rowMax = Math.Max(r0, r1);
        long row0 = (long)Math.Max(0, Math.Floor(rowMin + 1e-9));
        long row1 = (long)Math.Min(grid.Height, Math.Ceiling(rowMax - 1e-9));
        long col0 = (long)Math.Floor(colMin + 1e-9), col1 = (long)Math.Ceiling(colMax - 1e-9);
        if (col1 <= col0)
        {
            col1 = col0 + 1;
        }

        if (row1 <= row0 && rowMax >= 0 && rowMin <= grid.Height)
        {
            row1 = Math.Min(grid.Height, row0 + 1);
        }

        if (grid.WrapsLongitude)
        {
            col1 = Math.Min(col1, col0 + grid.Width);
        }
        else
        {
            col0 = Math.Max(0, col0);
            col1 = Math.Min(grid.Width, col1);
        }

        if (row1 <= row0 || col1 <= col0)
        {
            return null;
        }

        return (row0, col0, (int)(row1 - row0), (int)(col1 - col0));
    }

    /// <summary>
    /// The finest of <paramref name="levels"/> (finest first, null = not usable) whose window holds at most
    /// <paramref name="budget"/> values for <paramref name="planes"/> planes; when none does, the coarsest read with
    /// the stride that brings it within the budget. Null when the box misses the data.
    /// </summary>
    public static NativeWindow? Choose(IReadOnlyList<GridGeometry?> levels, Func<GridGeometry, Extent?> boxInGridCrs, int planes, long budget)
    {
        NativeWindow? coarsest = null;
        for (int i = 0; i < levels.Count; i++)
        {
            if (levels[i] is not { } grid || boxInGridCrs(grid) is not { } box || Cells(grid, box) is not { } cells)
            {
                continue;
            }

            var window = new NativeWindow(i, cells.Row, cells.Col, cells.Rows, cells.Cols, 1);
            if (window.OutPixels * planes <= budget)
            {
                return window;
            }

            coarsest = window;
        }

        if (coarsest is not { } w)
        {
            return null;
        }

        int step = (int)Math.Ceiling(Math.Sqrt(w.OutPixels * (double)planes / budget));
        while ((long)((w.Rows + step - 1) / step) * ((w.Cols + step - 1) / step) * planes > budget)
        {
            step++;
        }

        return w with { Step = step };
    }

    /// <summary>Bounds of a window's output cells in the grid's CRS (north up: min/max of the corners).</summary>
    public static Extent Bounds(GridGeometry grid, NativeWindow w)
    {
        var t = grid.Transform;
        var (x0, y0) = t.Apply(w.Col, w.Row);
        var (x1, y1) = t.Apply(w.Col + ((long)w.OutCols * w.Step), w.Row + ((long)w.OutRows * w.Step));
        return new Extent(Math.Min(x0, x1), Math.Min(y0, y1), Math.Max(x0, x1), Math.Max(y0, y1));
    }
}
