using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>
/// Plans the source reads and source coordinates for one output tile (pure, no I/O): a separable plan (one source column
/// per output column, one source row per output row) where the mapping acts on each axis alone, else a per-pixel plan;
/// then, for either, the source window. Irregular axes take part in separable plans (a binary search per output column
/// and row replaces the affine index); curvilinear grids are always planned per pixel, against their cell index.
/// </summary>
public static partial class WarpPlanner
{
    /// <summary>Output pixels between exact transform samples.</summary>
    internal const int NodeSpacing = 16;

    /// <summary>Source samples kept around the needed pixels for the resampling kernels (cubic needs 2).</summary>
    internal const int KernelMargin = 2;

    public static WarpPlan Plan(Extent tileBounds, int width, int height, GridGeometry grid, ICoordinateTransform? tileToGrid, ResamplingMethod method, WarpOptions options)
    {
        if (width < 1 || height < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "tile size must be >= 1");
        }

        if (grid.Transform.IsRectilinear && grid.Kind != GridKind.Curvilinear)
        {
            var separable = WarpPlan.Separable(width, height);
            if (SeparableAxes(tileBounds, width, height, grid, tileToGrid, separable.AxisCols, separable.AxisRows))
            {
                PlanWindow(separable, grid, method, options.MaxSourcePixels);
                return separable;
            }

            separable.Dispose();
        }

        var plan = WarpPlan.PerPixel(width, height);
        ComputeSourceCoordinates(tileBounds, width, height, grid, tileToGrid, options.ApproxErrorPixels, plan.SourceCols, plan.SourceRows);
        PlanWindow(plan, grid, method, options.MaxSourcePixels);
        return plan;
    }

    internal static long Mod(long a, long m)
    {
        long r = a % m;
        return r < 0 ? r + m : r;
    }

    internal static double Mod(double a, double m)
    {
        double r = a % m;
        return r < 0 ? r + m : r;
    }
}
