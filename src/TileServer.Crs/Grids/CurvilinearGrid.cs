namespace TileServer.Crs;

/// <summary>
/// A curvilinear grid: the longitude and latitude of every cell centre (CF 2-D auxiliary coordinates, as ocean models
/// and satellite swaths write them), with a spatial index that finds the cell containing a point.
/// </summary>
/// <remarks>
/// <para>
/// Cells: four neighbouring centres make a quadrilateral; inside it, a point has bilinear coordinates (u, v) in
/// [0, 1]², and its continuous grid index is (i + 0.5 + u, j + 0.5 + v) — centre (j, i) at (i + 0.5, j + 0.5) as on a
/// regular grid. A cell is where the floor of that index is (j, i): the quadrilateral through the midpoints between
/// its centre and its neighbours', the rule <see cref="IrregularAxis"/> uses per axis. Bilinear resampling then
/// interpolates between the four centres around a point. The outer cells reach half a cell beyond the outer centres
/// (a ring of centres extrapolated linearly from the last two), so the grid ends where a regular one would.
/// </para>
/// <para>
/// Fallback: a point in no quadrilateral (next to centres without coordinates, or in a quadrilateral too distorted to
/// use: spanning more than 180° of longitude, or without area) takes the nearest centre among those indexed around
/// it, when it lies within half that centre's spacing to its neighbours. Anything else is outside (NaN).
/// </para>
/// <para>
/// Longitudes are kept in one 360° frame chosen to hold the grid without a cut where possible (a Pacific grid runs
/// 150..210); quadrilaterals that cross the frame's edge (global grids) are indexed on both sides.
/// </para>
/// </remarks>
public sealed partial class CurvilinearGrid
{
    /// <summary>Bytes each cell costs for its centre (two doubles), before the index.</summary>
    public const int CentreBytesPerCell = 16;

    private const double Epsilon = 1e-9;
    private readonly double[] _lon;
    private readonly double[] _lat;

    private CurvilinearGrid(double[] lon, double[] lat, int width, int height)
    {
        _lon = lon;
        _lat = lat;
        Width = width;
        Height = height;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Longitude/latitude bounds of the cells' outer edges (longitudes in the grid's frame, possibly past 180).</summary>
    public Extent Bounds { get; private set; }

    /// <summary>Median distance in degrees between neighbouring centres along a row: the representative cell width.</summary>
    public double CellSizeX { get; private set; }

    /// <summary>Median distance in degrees between neighbouring centres along a column.</summary>
    public double CellSizeY { get; private set; }

    /// <summary>True when the last row lies north of the first (rows stored south first).</summary>
    public bool LatitudeIncreasesWithRow { get; private set; }

    /// <summary>Bytes held: centres and index.</summary>
    public long ByteSize { get; private set; }

    /// <summary>A stable digest of the centres (part of a dataset's version).</summary>
    public ulong Digest { get; private set; }

    /// <summary>
    /// Builds the grid and its index from row-major centres (<paramref name="height"/> rows of <paramref name="width"/>).
    /// Centres with a non-finite longitude or a latitude beyond ±90 count as missing. Throws
    /// <see cref="GridException"/> when centres and index would take more than <paramref name="maxBytes"/>, or when no
    /// centre is usable.
    /// </summary>
    public static CurvilinearGrid Create(double[] lon, double[] lat, int width, int height, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(lon);
        ArgumentNullException.ThrowIfNull(lat);
        long cells = (long)width * height;
        if (width < 2 || height < 2 || lon.Length != cells || lat.Length != cells)
        {
            throw new ArgumentException($"a curvilinear grid needs at least 2 × 2 centres and one longitude and latitude per centre ({width} × {height}, {lon.Length} and {lat.Length} given)");
        }

        var grid = new CurvilinearGrid(lon, lat, width, height);
        grid.Normalise();
        grid.Measure();
        grid.BuildIndex(maxBytes);
        return grid;
    }

    /// <summary>
    /// Continuous (col, row) index of a longitude/latitude (see remarks): NaN when the point is in no cell. An index
    /// in (−0.5, 0) or past the last cell by less than half a cell comes from the extrapolated outer ring: outside too.
    /// </summary>
    public (double Col, double Row) ToIndex(double lon, double lat)
    {
        if (!double.IsFinite(lon) || !(Math.Abs(lat) <= 90))
        {
            return (double.NaN, double.NaN);
        }

        var search = new Search(lon, lat);
        if (_global)
        {
            SearchBucket(ref search, Frame(lon), lat);
        }
        else
        {
            double x = Frame(lon);
            foreach (double candidate in (ReadOnlySpan<double>)[x, x - 360, x + 360])
            {
                if (candidate >= _bx0 && candidate <= _bx1 && lat >= _by0 && lat <= _by1)
                {
                    SearchBucket(ref search, candidate, lat);
                    if (search.Found)
                    {
                        break;
                    }
                }
            }
        }

        if (search.Found || search.InRing)
        {
            return (search.Col, search.Row);
        }

        return search.NearestCell is int k ? ((k % Width) + 0.5, (k / Width) + 0.5) : (double.NaN, double.NaN);
    }

    /// <summary>The centre of cell (row, col) as stored (longitude in the grid's frame); NaN for a missing centre.</summary>
    public (double Lon, double Lat) Centre(int row, int col) => (_lon[(row * Width) + col], _lat[(row * Width) + col]);

    private double Frame(double lon) => _frame + Mod(lon - _frame, 360);

    private static double Mod(double a, double m)
    {
        double r = a % m;
        return r < 0 ? r + m : r;
    }

    private static double Unwrap(double lon, double reference) => lon + (360 * Math.Round((reference - lon) / 360));

    /// <summary>Marks unusable centres missing and moves longitudes into one frame that holds the grid without a cut if it can.</summary>
    private void Normalise()
    {
        var occupied = new bool[360];
        int valid = 0;
        for (int k = 0; k < _lon.Length; k++)
        {
            if (!double.IsFinite(_lon[k]) || !(Math.Abs(_lat[k]) <= 90) || Math.Abs(_lon[k]) > 1e6)
            {
                _lon[k] = _lat[k] = double.NaN;
                continue;
            }

            occupied[(int)Mod(Math.Floor(_lon[k]), 360)] = true;
            valid++;
        }

        if (valid == 0)
        {
            throw new GridException("no cell centre has a usable longitude and latitude");
        }

        // The frame starts after the widest run of empty 1° bins (none: a global grid, framed at −180).
        int bestStart = -1, bestLength = 0;
        for (int start = 0; start < 360; start++)
        {
            if (occupied[start] || !occupied[(start + 359) % 360])
            {
                continue;
            }

            int length = 0;
            while (length < 360 && !occupied[(start + length) % 360])
            {
                length++;
            }

            if (length > bestLength)
            {
                (bestStart, bestLength) = (start, length);
            }
        }

        double frame = bestLength == 0 ? -180 : (bestStart + bestLength) % 360;
        _frame = frame >= 180 ? frame - 360 : frame;
        for (int k = 0; k < _lon.Length; k++)
        {
            if (!double.IsNaN(_lon[k]))
            {
                _lon[k] = Frame(_lon[k]);
            }
        }
    }

    /// <summary>Bounds (outer edges), median spacings, row direction and digest.</summary>
    private void Measure()
    {
        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity, minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        void Include(double x, double y)
        {
            if (double.IsFinite(x) && double.IsFinite(y))
            {
                (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
            }
        }

        for (int k = 0; k < _lon.Length; k++)
        {
            Include(_lon[k], _lat[k]);
        }

        // The outer edges: halfway between each outer centre and the extrapolated ring beyond it.
        for (int j = -1; j <= Height; j++)
        {
            for (int i = -1; i <= Width; i += (j == -1 || j == Height) ? 1 : Width + 1)
            {
                var (gx, gy) = CentreOrGhost(j, i);
                var (rx, ry) = CentreOrGhost(Math.Clamp(j, 0, Height - 1), Math.Clamp(i, 0, Width - 1));
                Include((Unwrap(gx, rx) + rx) / 2, Math.Clamp((gy + ry) / 2, -90, 90));
            }
        }

        Bounds = new Extent(minX, minY, maxX, maxY);
        CellSizeX = MedianSpacing(0, 1);
        CellSizeY = MedianSpacing(1, 0);
        double first = 0, last = 0;
        for (int i = 0; i < Width; i++)
        {
            first += double.IsNaN(_lat[i]) ? 0 : _lat[i];
            last += double.IsNaN(_lat[((Height - 1) * Width) + i]) ? 0 : _lat[((Height - 1) * Width) + i];
        }

        LatitudeIncreasesWithRow = last > first;
        Digest = GridDigest.Of(_lat, GridDigest.Of(_lon));
    }

    /// <summary>Median distance (degrees, longitude unwrapped) between a centre and its neighbour at (+dj, +di), over up to 4096 centres.</summary>
    private double MedianSpacing(int dj, int di)
    {
        var samples = new List<double>(4096);
        long count = (long)(Height - dj) * (Width - di);
        long stride = Math.Max(1, count / 4096);
        for (long s = 0; s < count; s += stride)
        {
            int j = (int)(s / (Width - di)), i = (int)(s % (Width - di));
            var (x0, y0) = Centre(j, i);
            var (x1, y1) = Centre(j + dj, i + di);
            double d = Math.Sqrt(Sq(Unwrap(x1, x0) - x0) + Sq(y1 - y0));
            if (d > 0)
            {
                samples.Add(d);
            }
        }

        if (samples.Count == 0)
        {
            throw new GridException("no two neighbouring cell centres have usable coordinates: the cell size is unknown");
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }

    private static double Sq(double v) => v * v;

    /// <summary>
    /// Centre (j, i) for j in −1..Height and i in −1..Width: outside the grid, the ring extrapolated linearly from the
    /// two nearest centres (longitude continuous with them); NaN where a centre it needs is missing.
    /// </summary>
    private (double Lon, double Lat) CentreOrGhost(int j, int i)
    {
        if (i < 0 || i >= Width)
        {
            int edge = i < 0 ? 0 : Width - 1, inner = i < 0 ? 1 : Width - 2;
            return Extrapolate(CentreOrGhost(j, edge), CentreOrGhost(j, inner));
        }

        if (j < 0 || j >= Height)
        {
            int edge = j < 0 ? 0 : Height - 1, inner = j < 0 ? 1 : Height - 2;
            return Extrapolate(CentreOrGhost(edge, i), CentreOrGhost(inner, i));
        }

        int k = (j * Width) + i;
        return (_lon[k], _lat[k]);
    }

    private static (double, double) Extrapolate((double Lon, double Lat) edge, (double Lon, double Lat) inner)
        => ((2 * edge.Lon) - Unwrap(inner.Lon, edge.Lon), (2 * edge.Lat) - inner.Lat);

    /// <summary>What one lookup has found so far: a cell of the grid, one of the extrapolated ring, or the nearest centre.</summary>
    private struct Search
    {
        public Search(double lon, double lat)
        {
            Lon = lon;
            Lat = lat;
            Col = Row = double.NaN;
            NearestDistance = double.PositiveInfinity;
            NearestCell = null;
            Found = false;
            InRing = false;
        }

        public double Lon { get; }
        public double Lat { get; }
        public double Col { get; set; }
        public double Row { get; set; }
        public bool Found { get; set; }
        public bool InRing { get; set; }
        public double NearestDistance { get; set; }
        public int? NearestCell { get; set; }
    }
}

/// <summary>A grid whose coordinates cannot be used: none usable, or more cells than the index may hold.</summary>
public sealed class GridException : TileServerException
{
    public GridException(string message)
        : base(FailureKind.InvalidData, message)
    {
    }
}
