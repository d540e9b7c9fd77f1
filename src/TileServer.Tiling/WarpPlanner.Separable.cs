using System.Buffers;
using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>Separable plans: source columns and rows computed per axis (w + h transforms) where the mapping allows it.</summary>
public static partial class WarpPlanner
{
    /// <summary>
    /// Source column per output column and source row per output row, when the mapping acts on each axis separately:
    /// a north-up grid in the tile's CRS, or a transform that passes <see cref="TrySeparable"/>.
    /// </summary>
    private static bool SeparableAxes(Extent b, int w, int h, GridGeometry grid, ICoordinateTransform? t, Span<double> cols, Span<double> rows)
    {
        var toPixel = new CrsToPixel(grid);
        double px = b.Width / w, py = b.Height / h;
        if (t is null || t.IsIdentity)
        {
            // A north-up grid's column is a function of x alone and its row of y alone.
            double midY = b.MaxY - ((((h - 1) / 2) + 0.5) * py), midX = b.MinX + ((((w - 1) / 2) + 0.5) * px);
            for (int i = 0; i < w; i++)
            {
                cols[i] = toPixel.Map(b.MinX + ((i + 0.5) * px), midY).Col;
            }

            for (int j = 0; j < h; j++)
            {
                rows[j] = toPixel.Map(midX, b.MaxY - ((j + 0.5) * py)).Row;
            }

            return true;
        }

        return TrySeparable(b, w, h, px, py, t, toPixel, cols, rows);
    }

    /// <summary>
    /// Exact path for transforms that act on each axis separately (geographic ↔ Mercator, the most common pair): when
    /// the source x depends only on the tile x and the source y only on the tile y, one row and one column of exact
    /// transforms give every pixel exactly, for w + h transforms instead of an interpolated grid. Fills
    /// <paramref name="cols"/> (one per output column) and <paramref name="rows"/> (one per output row).
    /// </summary>
    internal static bool TrySeparable(Extent b, int w, int h, double px, double py, ICoordinateTransform t, CrsToPixel toPixel, Span<double> cols, Span<double> rows)
    {
        const int probes = 5;
        Span<double> probeX = stackalloc double[probes * probes];
        Span<double> probeY = stackalloc double[probes * probes];
        for (int a = 0; a < probes; a++)
        {
            double y = b.MaxY - (((a * (h - 1) / (double)(probes - 1)) + 0.5) * py);
            for (int c = 0; c < probes; c++)
            {
                probeX[(a * probes) + c] = b.MinX + (((c * (w - 1) / (double)(probes - 1)) + 0.5) * px);
                probeY[(a * probes) + c] = y;
            }
        }

        t.Transform(probeX, probeY);
        for (int k = 0; k < probeX.Length; k++)
        {
            if (!double.IsFinite(probeX[k]) || !double.IsFinite(probeY[k]))
            {
                return false;
            }
        }

        // Tolerance: a millionth of the spread the probes cover along each axis.
        double spreadX = Math.Abs(probeX[probes - 1] - probeX[0]) + Math.Abs(probeX[^1] - probeX[^probes]);
        double spreadY = Math.Abs(probeY[^1] - probeY[0]);
        double tolX = Math.Max(spreadX, 1e-12) * 1e-6, tolY = Math.Max(spreadY, 1e-12) * 1e-6;
        for (int a = 1; a < probes; a++)
        {
            for (int c = 0; c < probes; c++)
            {
                if (Math.Abs(probeX[(a * probes) + c] - probeX[c]) > tolX || Math.Abs(probeY[(c * probes) + a] - probeY[c * probes]) > tolY)
                {
                    return false;
                }
            }
        }

        var rowX = ArrayPool<double>.Shared.Rent(w);
        var rowY = ArrayPool<double>.Shared.Rent(w);
        var colX = ArrayPool<double>.Shared.Rent(h);
        var colY = ArrayPool<double>.Shared.Rent(h);
        try
        {
            double midY = b.MaxY - ((((h - 1) / 2) + 0.5) * py), midX = b.MinX + ((((w - 1) / 2) + 0.5) * px);
            for (int i = 0; i < w; i++)
            {
                rowX[i] = b.MinX + ((i + 0.5) * px);
                rowY[i] = midY;
            }

            for (int j = 0; j < h; j++)
            {
                colX[j] = midX;
                colY[j] = b.MaxY - ((j + 0.5) * py);
            }

            t.Transform(rowX.AsSpan(0, w), rowY.AsSpan(0, w));
            t.Transform(colX.AsSpan(0, h), colY.AsSpan(0, h));

            // The grid is rectilinear, so its column depends on x alone and its row on y alone: map each once.
            double refX = rowX[(w - 1) / 2], refY = colY[(h - 1) / 2];
            for (int i = 0; i < w; i++)
            {
                cols[i] = double.IsFinite(rowX[i]) && double.IsFinite(refY) ? toPixel.Map(rowX[i], refY).Col : double.NaN;
            }

            for (int j = 0; j < h; j++)
            {
                rows[j] = double.IsFinite(colY[j]) && double.IsFinite(refX) ? toPixel.Map(refX, colY[j]).Row : double.NaN;
            }

            return true;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rowX);
            ArrayPool<double>.Shared.Return(rowY);
            ArrayPool<double>.Shared.Return(colX);
            ArrayPool<double>.Shared.Return(colY);
        }
    }
}
