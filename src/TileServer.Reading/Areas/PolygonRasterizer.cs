namespace TileServer.Reading.Areas;

/// <summary>
/// Turns pixel-space rings into per-cell weights of a width × height raster. <see cref="Centres"/>: 1 for cells whose
/// centre lies inside (even-odd rule, a scanline per row: no per-pixel geometry test). <see cref="Coverage"/>: the exact
/// fraction of each cell the polygon covers — computed only for cells an edge passes through, by Green's theorem
/// (area of P ∩ cell = ∮ clamp(x, c, c+1) − c dy over P's edges inside the cell's row), while cells no edge touches are
/// wholly in or out and take their centre's answer.
/// </summary>
public static class PolygonRasterizer
{
    public static void Centres(IReadOnlyList<PixelRing> rings, int width, int height, Span<float> weights)
    {
        weights[..(width * height)].Clear();
        var edges = Edges(rings);
        var crossings = new List<double>();
        foreach (var (row, active) in Rows(edges, height, centre: true))
        {
            double yc = row + 0.5;
            crossings.Clear();
            foreach (var e in active)
            {
                // Half-open in y so a vertex on the scanline counts once.
                if ((e.Y0 <= yc && yc < e.Y1) || (e.Y1 <= yc && yc < e.Y0))
                {
                    crossings.Add(e.X0 + ((yc - e.Y0) * (e.X1 - e.X0) / (e.Y1 - e.Y0)));
                }
            }

            crossings.Sort();
            var line = weights.Slice(row * width, width);
            for (int k = 0; k + 1 < crossings.Count; k += 2)
            {
                // Cells whose centre c + 0.5 lies in [xa, xb).
                int c0 = (int)Math.Clamp(Math.Ceiling(crossings[k] - 0.5), 0, width);
                int c1 = (int)Math.Clamp(Math.Ceiling(crossings[k + 1] - 0.5), 0, width);
                if (c1 > c0)
                {
                    line[c0..c1].Fill(1f);
                }
            }
        }
    }

    public static void Coverage(IReadOnlyList<PixelRing> rings, int width, int height, Span<float> weights)
    {
        Centres(rings, width, height, weights);
        var edges = Edges(rings);
        var boundary = new List<int>();
        foreach (var (row, active) in Rows(edges, height, centre: false))
        {
            double top = row, bottom = row + 1;
            boundary.Clear();
            foreach (var e in active)
            {
                double xa, xb;
                if (e.Y0 == e.Y1)
                {
                    // A horizontal edge inside the band cuts the cells it runs along (it adds no area term itself).
                    (xa, xb) = (e.X0, e.X1);
                }
                else if (!ClipToBand(e, top, bottom, out xa, out _, out xb, out _))
                {
                    continue;
                }

                int c0 = (int)Math.Clamp(Math.Floor(Math.Min(xa, xb)), 0, width - 1);
                int c1 = (int)Math.Clamp(Math.Floor(Math.Max(xa, xb)), 0, width - 1);
                if (Math.Max(xa, xb) < 0 || Math.Min(xa, xb) >= width)
                {
                    continue;
                }

                for (int c = c0; c <= c1; c++)
                {
                    boundary.Add(c);
                }
            }

            boundary.Sort();
            var line = weights.Slice(row * width, width);
            int previous = -1;
            foreach (int c in boundary)
            {
                if (c == previous)
                {
                    continue;
                }

                previous = c;
                double area = 0;
                foreach (var e in active)
                {
                    if (ClipToBand(e, top, bottom, out double xa, out double ya, out double xb, out double yb))
                    {
                        area += e.Sign * (yb - ya) * MeanClamped(xa, xb, c);
                    }
                }

                line[c] = (float)Math.Clamp(area, 0, 1);
            }
        }
    }

    /// <summary>Mean of clamp(x, c, c+1) − c along x from <paramref name="xa"/> to <paramref name="xb"/> (x linear in y).</summary>
    private static double MeanClamped(double xa, double xb, int c)
    {
        if (Math.Abs(xb - xa) < 1e-12)
        {
            return Math.Clamp(((xa + xb) / 2) - c, 0, 1);
        }

        return (Antiderivative(xb - c) - Antiderivative(xa - c)) / (xb - xa);
    }

    /// <summary>∫ clamp(u, 0, 1) du from 0.</summary>
    private static double Antiderivative(double u) => u <= 0 ? 0 : u >= 1 ? 0.5 + (u - 1) : u * u / 2;

    private static bool ClipToBand(Edge e, double top, double bottom, out double xa, out double ya, out double xb, out double yb)
    {
        xa = ya = xb = yb = 0;
        if (e.Y0 == e.Y1)
        {
            return false;
        }

        double t0 = (top - e.Y0) / (e.Y1 - e.Y0), t1 = (bottom - e.Y0) / (e.Y1 - e.Y0);
        double lo = Math.Max(0, Math.Min(t0, t1)), hi = Math.Min(1, Math.Max(t0, t1));
        if (!(hi > lo))
        {
            return false;
        }

        xa = e.X0 + (lo * (e.X1 - e.X0));
        ya = e.Y0 + (lo * (e.Y1 - e.Y0));
        xb = e.X0 + (hi * (e.X1 - e.X0));
        yb = e.Y0 + (hi * (e.Y1 - e.Y0));
        return true;
    }

    /// <summary>
    /// Every edge with the sign that makes its ring's enclosed area count positive (outer rings) or negative (holes),
    /// whatever the ring's winding; sorted by their top.
    /// </summary>
    private static Edge[] Edges(IReadOnlyList<PixelRing> rings)
    {
        var edges = new List<Edge>();
        foreach (var ring in rings)
        {
            double signed = 0;
            for (int i = 0; i + 1 < ring.X.Length; i++)
            {
                signed += ring.X[i] * (ring.Y[i + 1] - ring.Y[i]);
                signed -= ring.Y[i] * (ring.X[i + 1] - ring.X[i]);
            }

            double sign = (signed >= 0 ? 1 : -1) * (ring.IsHole ? -1 : 1);
            for (int i = 0; i + 1 < ring.X.Length; i++)
            {
                if (ring.X[i] != ring.X[i + 1] || ring.Y[i] != ring.Y[i + 1])
                {
                    edges.Add(new Edge(ring.X[i], ring.Y[i], ring.X[i + 1], ring.Y[i + 1], sign));
                }
            }
        }

        edges.Sort((a, b) => a.Top.CompareTo(b.Top));
        return [.. edges];
    }

    /// <summary>Rows 0..height−1 with the edges that reach them (their centre line, or any part of the row band).</summary>
    private static IEnumerable<(int Row, List<Edge> Active)> Rows(Edge[] edges, int height, bool centre)
    {
        var active = new List<Edge>();
        int next = 0;
        for (int row = 0; row < height; row++)
        {
            double top = centre ? row + 0.5 : row, bottom = centre ? row + 0.5 : row + 1;
            active.RemoveAll(e => e.Bottom < top || (e.Bottom == top && !centre));
            while (next < edges.Length && (edges[next].Top < bottom || (centre && edges[next].Top <= bottom)))
            {
                if (edges[next].Bottom > top || (centre && edges[next].Bottom >= top))
                {
                    active.Add(edges[next]);
                }

                next++;
            }

            if (active.Count > 0)
            {
                yield return (row, active);
            }
            else if (next >= edges.Length)
            {
                yield break;
            }
        }
    }

    private readonly record struct Edge(double X0, double Y0, double X1, double Y1, double Sign)
    {
        public double Top => Math.Min(Y0, Y1);
        public double Bottom => Math.Max(Y0, Y1);
    }
}
