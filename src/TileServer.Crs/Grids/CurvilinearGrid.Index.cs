namespace TileServer.Crs;

/// <summary>
/// The spatial index of a <see cref="CurvilinearGrid"/>: a uniform grid of buckets over the longitude/latitude bounds,
/// each listing the quadrilaterals (four neighbouring centres, the extrapolated outer ring included) whose bounds
/// overlap it, in two flat arrays. About two buckets per quadrilateral, so a lookup tests a handful of them.
/// </summary>
public sealed partial class CurvilinearGrid
{
    private double _frame;
    private bool _global;
    private double _bx0, _bx1, _by0, _by1, _sx, _sy;
    private int _nbx, _nby;
    private int[] _starts = [];
    private int[] _ids = [];

    private int QuadWidth => Width + 1;

    /// <summary>Four centres (j, i), (j, i+1), (j+1, i+1), (j+1, i) with longitudes continuous with the first.</summary>
    private readonly struct Quad
    {
        public Quad(double x0, double y0, double x1, double y1, double x2, double y2, double x3, double y3)
        {
            (X0, Y0, X1, Y1, X2, Y2, X3, Y3) = (x0, y0, x1, y1, x2, y2, x3, y3);
            MinX = Math.Min(Math.Min(x0, x1), Math.Min(x2, x3));
            MaxX = Math.Max(Math.Max(x0, x1), Math.Max(x2, x3));
            MinY = Math.Min(Math.Min(y0, y1), Math.Min(y2, y3));
            MaxY = Math.Max(Math.Max(y0, y1), Math.Max(y2, y3));
        }

        public double X0 { get; }
        public double Y0 { get; }
        public double X1 { get; }
        public double Y1 { get; }
        public double X2 { get; }
        public double Y2 { get; }
        public double X3 { get; }
        public double Y3 { get; }
        public double MinX { get; }
        public double MaxX { get; }
        public double MinY { get; }
        public double MaxY { get; }
    }

    /// <summary>The quadrilateral whose first corner is centre (qj, qi), qj in −1..Height−1 and qi in −1..Width−1; false when unusable.</summary>
    private bool TryQuad(int qj, int qi, out Quad quad)
    {
        var (x0, y0) = CentreOrGhost(qj, qi);
        var (x1, y1) = CentreOrGhost(qj, qi + 1);
        var (x2, y2) = CentreOrGhost(qj + 1, qi + 1);
        var (x3, y3) = CentreOrGhost(qj + 1, qi);
        quad = new Quad(x0, y0, Unwrap(x1, x0), y1, Unwrap(x2, x0), y2, Unwrap(x3, x0), y3);
        if (!double.IsFinite(quad.MinX + quad.MaxX + quad.MinY + quad.MaxY) || quad.MaxX - quad.MinX > 180)
        {
            return false;
        }

        // Twice the signed area (shoelace): a quadrilateral without area has no inside.
        double area = ((quad.X0 - quad.X2) * (quad.Y1 - quad.Y3)) - ((quad.X1 - quad.X3) * (quad.Y0 - quad.Y2));
        double scale = Sq(quad.MaxX - quad.MinX) + Sq(quad.MaxY - quad.MinY);
        return Math.Abs(area) > 1e-12 * scale;
    }

    private void BuildIndex(long maxBytes)
    {
        long centreBytes = (long)Width * Height * CentreBytesPerCell;
        long quads = (long)QuadWidth * (Height + 1);
        if (centreBytes > maxBytes || quads > int.MaxValue / 2)
        {
            throw TooLarge(centreBytes, 0, maxBytes);
        }

        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity, minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        for (int qj = -1; qj < Height; qj++)
        {
            for (int qi = -1; qi < Width; qi++)
            {
                if (TryQuad(qj, qi, out var q))
                {
                    (minX, maxX, minY, maxY) = (Math.Min(minX, q.MinX), Math.Max(maxX, q.MaxX), Math.Min(minY, q.MinY), Math.Max(maxY, q.MaxY));
                }
            }
        }

        if (!double.IsFinite(minX))
        {
            throw new GridException("no four neighbouring cell centres form a usable cell");
        }

        _global = maxX - minX >= 359;
        (_bx0, _bx1, _by0, _by1) = _global ? (_frame, _frame + 360, minY, maxY) : (minX, maxX, minY, maxY);
        double width = Math.Max(_bx1 - _bx0, 1e-9), height = Math.Max(_by1 - _by0, 1e-9);
        long target = Math.Clamp(quads / 2, 1, 1 << 22);
        _nbx = (int)Math.Clamp(Math.Round(Math.Sqrt(target * width / height)), 1, 1 << 16);
        _nby = (int)Math.Clamp(target / _nbx, 1, 1 << 16);
        _sx = _nbx / width;
        _sy = _nby / height;

        // Count, check the budget, then fill: nothing is allocated for entries the budget refuses.
        var starts = new int[(_nbx * _nby) + 1];
        long entries = ForEachQuadBucket(starts, null);
        long bytes = centreBytes + (4L * starts.Length) + (4 * entries);
        if (bytes > maxBytes || entries > int.MaxValue / 2)
        {
            throw TooLarge(centreBytes, bytes - centreBytes, maxBytes);
        }

        int running = 0;
        for (int b = 0; b < starts.Length - 1; b++)
        {
            (starts[b], running) = (running, running + starts[b]);
        }

        starts[^1] = running;
        _ids = new int[entries];
        var cursor = (int[])starts.Clone();
        ForEachQuadBucket(cursor, _ids);
        _starts = starts;
        ByteSize = bytes;
    }

    private GridException TooLarge(long centreBytes, long indexBytes, long maxBytes) => new(
        $"the cell index of a {Width} × {Height} curvilinear grid needs {Mb(centreBytes + indexBytes)} MB (centres {Mb(centreBytes)} MB"
        + (indexBytes > 0 ? $", buckets {Mb(indexBytes)} MB" : "") + $"), more than the {Mb(maxBytes)} MB allowed per level");

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Counts (ids null: per bucket into <paramref name="cursor"/>) or places (at each bucket's cursor) every usable quadrilateral; returns the entries.</summary>
    private long ForEachQuadBucket(int[] cursor, int[]? ids)
    {
        long entries = 0;
        for (int qj = -1; qj < Height; qj++)
        {
            for (int qi = -1; qi < Width; qi++)
            {
                if (!TryQuad(qj, qi, out var q))
                {
                    continue;
                }

                int id = ((qj + 1) * QuadWidth) + qi + 1;
                double x0 = q.MinX, x1 = q.MaxX;
                if (_global)
                {
                    double shift = 360 * Math.Floor((x0 - _frame) / 360);
                    (x0, x1) = (x0 - shift, x1 - shift);
                    if (x1 > _frame + 360)
                    {
                        entries += Place(_frame, x1 - 360, q.MinY, q.MaxY, id, cursor, ids);
                        x1 = _frame + 360;
                    }
                }

                entries += Place(x0, x1, q.MinY, q.MaxY, id, cursor, ids);
            }
        }

        return entries;
    }

    private int Place(double x0, double x1, double y0, double y1, int id, int[] cursor, int[]? ids)
    {
        int ix0 = BucketX(x0), ix1 = BucketX(x1), iy0 = BucketY(y0), iy1 = BucketY(y1);
        for (int iy = iy0; iy <= iy1; iy++)
        {
            for (int ix = ix0; ix <= ix1; ix++)
            {
                int b = (iy * _nbx) + ix;
                if (ids is null)
                {
                    cursor[b]++;
                }
                else
                {
                    ids[cursor[b]++] = id;
                }
            }
        }

        return (ix1 - ix0 + 1) * (iy1 - iy0 + 1);
    }

    private int BucketX(double x) => (int)Math.Clamp(Math.Floor((x - _bx0) * _sx), 0, _nbx - 1);

    private int BucketY(double y) => (int)Math.Clamp(Math.Floor((y - _by0) * _sy), 0, _nby - 1);

    /// <summary>Tests the quadrilaterals of the bucket holding (x, y); without a hit, remembers the nearest centre close enough to claim the point.</summary>
    private void SearchBucket(ref Search search, double x, double y)
    {
        int b = (BucketY(y) * _nbx) + BucketX(x);
        int first = _starts[b], end = _starts[b + 1];
        for (int p = first; p < end; p++)
        {
            int id = _ids[p], qj = (id / QuadWidth) - 1, qi = (id % QuadWidth) - 1;
            if (!TryQuad(qj, qi, out var q))
            {
                continue;
            }

            double px = Unwrap(search.Lon, q.X0);
            if (px < q.MinX || px > q.MaxX || y < q.MinY || y > q.MaxY || !InverseBilinear(q, px, y, out double u, out double v))
            {
                continue;
            }

            bool inGrid = qi >= 0 && qj >= 0 && qi < Width - 1 && qj < Height - 1;
            if (inGrid || !search.InRing)
            {
                search.Col = qi + 0.5 + u;
                search.Row = qj + 0.5 + v;
                search.InRing = !inGrid;
                search.Found = inGrid;
                if (inGrid)
                {
                    return;
                }
            }
        }

        if (!search.InRing)
        {
            for (int p = first; p < end; p++)
            {
                int id = _ids[p], qj = (id / QuadWidth) - 1, qi = (id % QuadWidth) - 1;
                for (int c = 0; c < 4; c++)
                {
                    NearestCandidate(ref search, qj + (c >> 1), qi + (c & 1));
                }
            }
        }
    }

    /// <summary>Takes centre (j, i) as the fallback when it is the nearest so far and within half its spacing of the point.</summary>
    private void NearestCandidate(ref Search search, int j, int i)
    {
        if (j < 0 || i < 0 || j >= Height || i >= Width)
        {
            return;
        }

        var (cx, cy) = Centre(j, i);
        double d = Distance(cx, cy, search.Lon, search.Lat);
        if (!(d < search.NearestDistance))
        {
            return;
        }

        double spacing = 0;
        foreach (var (dj, di) in (ReadOnlySpan<(int, int)>)[(0, 1), (0, -1), (1, 0), (-1, 0)])
        {
            int nj = j + dj, ni = i + di;
            if (nj >= 0 && ni >= 0 && nj < Height && ni < Width)
            {
                var (nx, ny) = Centre(nj, ni);
                double s = Distance(cx, cy, nx, ny);
                spacing = double.IsNaN(s) ? spacing : Math.Max(spacing, s);
            }
        }

        if (d <= 0.5 * spacing)
        {
            search.NearestDistance = d;
            search.NearestCell = (j * Width) + i;
        }
    }

    /// <summary>Distance in degrees of latitude, longitude differences scaled by the cosine of the mean latitude.</summary>
    private static double Distance(double x0, double y0, double x1, double y1)
    {
        double dx = (Unwrap(x1, x0) - x0) * Math.Cos((y0 + y1) * Math.PI / 360);
        return Math.Sqrt((dx * dx) + Sq(y1 - y0));
    }

    /// <summary>
    /// Bilinear coordinates (u along the first edge, v along the last) of a point in a quadrilateral: the root of
    /// k2·v² + k1·v + k0 = 0 that lies in the unit square (a parallelogram gives a linear equation); false when none does.
    /// </summary>
    private static bool InverseBilinear(in Quad q, double px, double py, out double u, out double v)
    {
        double ex = q.X1 - q.X0, ey = q.Y1 - q.Y0, fx = q.X3 - q.X0, fy = q.Y3 - q.Y0;
        double gx = q.X0 - q.X1 + q.X2 - q.X3, gy = q.Y0 - q.Y1 + q.Y2 - q.Y3;
        double hx = px - q.X0, hy = py - q.Y0;
        double k2 = (gx * fy) - (gy * fx);
        double k1 = (ex * fy) - (ey * fx) + (hx * gy) - (hy * gx);
        double k0 = (hx * ey) - (hy * ex);
        u = v = double.NaN;
        if (Math.Abs(k2) <= 1e-12 * Math.Abs(k1))
        {
            return k1 != 0 && Accept(-k0 / k1, ex, ey, fx, fy, gx, gy, hx, hy, out u, out v);
        }

        double w = (k1 * k1) - (4 * k0 * k2);
        if (w < 0)
        {
            return false;
        }

        double root = -0.5 * (k1 + (Math.CopySign(Math.Sqrt(w), k1)));
        return Accept(root / k2, ex, ey, fx, fy, gx, gy, hx, hy, out u, out v)
            || (root != 0 && Accept(k0 / root, ex, ey, fx, fy, gx, gy, hx, hy, out u, out v));
    }

    private static bool Accept(double vc, double ex, double ey, double fx, double fy, double gx, double gy, double hx, double hy, out double u, out double v)
    {
        u = v = double.NaN;
        if (!(vc >= -Epsilon && vc <= 1 + Epsilon))
        {
            return false;
        }

        // h − f·v = u·(e + g·v): u from the projection on e + g·v (stable whichever way the edge points).
        double mx = ex + (gx * vc), my = ey + (gy * vc);
        double mm = (mx * mx) + (my * my);
        if (!(mm > 0))
        {
            return false;
        }

        double uc = (((hx - (fx * vc)) * mx) + ((hy - (fy * vc)) * my)) / mm;
        if (!(uc >= -Epsilon && uc <= 1 + Epsilon))
        {
            return false;
        }

        u = Math.Clamp(uc, 0, 1);
        v = Math.Clamp(vc, 0, 1);
        return true;
    }
}
