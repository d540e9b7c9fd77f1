namespace TileServer.Crs;

/// <summary>Projection methods with their own exact code here; everything else a WKT1 names goes to ProjNet.</summary>
internal enum ProjectionMethod
{
    /// <summary>Geographic CRS: no projection.</summary>
    None,

    /// <summary>EPSG:1024 Popular Visualisation Pseudo-Mercator (spherical formulas on the WGS84 semi-major axis).</summary>
    WebMercator,

    /// <summary>EPSG:9804/9805 Mercator variant A/B; a 2SP definition carries its standard parallel in <see cref="ProjectionParameters.StandardParallel1"/>.</summary>
    Mercator,

    /// <summary>EPSG:9807, Krüger series (as PROJ's default tmerc).</summary>
    TransverseMercator,

    /// <summary>EPSG:9801/9802; one standard parallel = tangent cone (1SP, with scale factor).</summary>
    LambertConformalConic,

    /// <summary>EPSG:9810 (variant A, scale factor at the pole) and 9829 (variant B, latitude of true scale).</summary>
    PolarStereographic,

    /// <summary>EPSG:9822, computed by ProjNet.</summary>
    AlbersEqualArea,

    /// <summary>EPSG:9820 (ProjNet 2.0's inverse drops the central meridian, so this one is ours).</summary>
    LambertAzimuthalEqualArea,

    /// <summary>Another projection known only by a WKT1 that ProjNet can handle (Krovak, Cassini, oblique stereographic…).</summary>
    ProjNetOther,

    /// <summary>
    /// CF <c>rotated_latitude_longitude</c> (PROJ <c>ob_tran</c> with <c>o_proj=longlat</c>): degrees on a rotated sphere;
    /// pole latitude in <see cref="ProjectionParameters.LatitudeOfOrigin"/>, pole longitude in
    /// <see cref="ProjectionParameters.CentralMeridian"/>, the grid longitude of the true pole in
    /// <see cref="ProjectionParameters.GridLongitudeOfPole"/>.
    /// </summary>
    RotatedPole,
}

/// <summary>An ellipsoid by semi-major axis (metres) and inverse flattening (0 for a sphere).</summary>
internal readonly record struct Ellipsoid(string Name, double SemiMajor, double InverseFlattening)
{
    public static readonly Ellipsoid Wgs84 = new("WGS 84", 6378137.0, 298.257223563);
    public static readonly Ellipsoid Grs80 = new("GRS 1980", 6378137.0, 298.257222101);
    public static readonly Ellipsoid Airy1830 = new("Airy 1830", 6377563.396, 299.3249646);

    public double Flattening => InverseFlattening == 0 ? 0 : 1.0 / InverseFlattening;

    public double EccentricitySquared => Flattening * (2 - Flattening);

    public double Eccentricity => Math.Sqrt(EccentricitySquared);

    public double SemiMinor => SemiMajor * (1 - Flattening);

    /// <summary>WGS84 and GRS80 differ by 0.1 mm in the semi-minor axis: the same for map purposes.</summary>
    public bool IsWgs84Like =>
        Math.Abs(SemiMajor - 6378137.0) < 1e-3
        && (Math.Abs(InverseFlattening - 298.257223563) < 1e-6 || Math.Abs(InverseFlattening - 298.257222101) < 1e-6);

    public bool SameShape(Ellipsoid other) =>
        Math.Abs(SemiMajor - other.SemiMajor) < 1e-3 && Math.Abs(InverseFlattening - other.InverseFlattening) < 1e-6;

    public static Ellipsoid FromAxes(string name, double semiMajor, double semiMinor) =>
        Math.Abs(semiMajor - semiMinor) < 1e-9 ? new(name, semiMajor, 0) : new(name, semiMajor, semiMajor / (semiMajor - semiMinor));

    /// <summary>
    /// The ellipsoid a CRS text describes, refused (naming <paramref name="dialect"/>) unless it could be a body a map is
    /// drawn on: a semi-major axis between 100 km and 100 000 km, and a sphere (1/f = 0) or 1/f of at least 1.
    /// </summary>
    public static Ellipsoid Checked(string dialect, string name, double semiMajor, double inverseFlattening)
    {
        if (!(semiMajor > 1e5 && semiMajor < 1e8) || !(inverseFlattening == 0 || (inverseFlattening >= 1 && double.IsFinite(inverseFlattening))))
        {
            throw new CrsException($"{dialect} ellipsoid has an implausible size (a = {semiMajor}, 1/f = {inverseFlattening}).");
        }

        return new Ellipsoid(name, semiMajor, inverseFlattening);
    }
}

/// <summary>Projection parameters: angles in degrees, false easting/northing in metres.</summary>
internal sealed record ProjectionParameters(
    double LatitudeOfOrigin = 0,
    double CentralMeridian = 0,
    double ScaleFactor = 1,
    double StandardParallel1 = double.NaN,
    double StandardParallel2 = double.NaN,
    double FalseEasting = 0,
    double FalseNorthing = 0,
    double GridLongitudeOfPole = 0)
{
    public bool Matches(ProjectionParameters o) =>
        Close(LatitudeOfOrigin, o.LatitudeOfOrigin) && Close(CentralMeridian, o.CentralMeridian) && Close(ScaleFactor, o.ScaleFactor)
        && Close(StandardParallel1, o.StandardParallel1) && Close(StandardParallel2, o.StandardParallel2)
        && Math.Abs(FalseEasting - o.FalseEasting) < 1e-4 && Math.Abs(FalseNorthing - o.FalseNorthing) < 1e-4
        && Close(GridLongitudeOfPole, o.GridLongitudeOfPole);

    private static bool Close(double a, double b) => (double.IsNaN(a) && double.IsNaN(b)) || Math.Abs(a - b) < 1e-9;
}

/// <summary>
/// Everything the transforms need about one CRS, whatever text it came from. The datum is reduced to its ellipsoid
/// and optional TOWGS84 Helmert parameters; <see cref="ToWgs84"/> is null when the datum's relation to WGS84 is unknown.
/// </summary>
internal sealed record CrsDefinition
{
    public required string Name { get; init; }

    public string? Code { get; init; }

    public string DatumName { get; init; } = "unknown";

    public required Ellipsoid Ellipsoid { get; init; }

    /// <summary>Seven Helmert parameters to WGS84 (zeros for WGS84-equivalent datums), null when unknown.</summary>
    public double[]? ToWgs84 { get; init; }

    /// <summary>Prime meridian longitude east of Greenwich, degrees.</summary>
    public double PrimeMeridian { get; init; }

    /// <summary>Degrees per angular unit of a geographic CRS (1 for degrees, 0.9 for grads).</summary>
    public double DegreesPerUnit { get; init; } = 1;

    public ProjectionMethod Method { get; init; }

    public ProjectionParameters? Projection { get; init; }

    /// <summary>Linear unit of a projected CRS in metres.</summary>
    public double LinearUnit { get; init; } = 1;

    public bool NorthEast { get; init; }

    /// <summary>The WKT1 ProjNet needs for <see cref="ProjectionMethod.ProjNetOther"/>.</summary>
    public string? SourceWkt1 { get; init; }

    public bool IsGeographic => Method == ProjectionMethod.None;

    /// <summary>
    /// A rotated-pole CRS on <paramref name="geographic"/>'s datum. Its coordinates are degrees, but on another sphere:
    /// it is not geographic for the server (longitudes are not Greenwich's), and a unit is one degree of arc.
    /// </summary>
    public static CrsDefinition RotatedPole(CrsDefinition geographic, string name, double poleLatitude, double poleLongitude, double gridLongitudeOfPole)
    {
        if (Math.Abs(poleLatitude) is > 90 and < 90 + 1e-9)
        {
            // A pole at 90° read through a WKT angle unit (degrees × 0.0174532925199433 × 180/π) lands a hair past it.
            poleLatitude = Math.CopySign(90, poleLatitude);
        }

        if (!(Math.Abs(poleLatitude) <= 90) || !double.IsFinite(poleLongitude) || !double.IsFinite(gridLongitudeOfPole))
        {
            throw new CrsException($"rotated pole at latitude {poleLatitude}, longitude {poleLongitude} (grid longitude {gridLongitudeOfPole}) is not on the globe.");
        }

        return geographic with
        {
            Name = name,
            Code = null,
            NorthEast = false,
            Method = ProjectionMethod.RotatedPole,
            Projection = new ProjectionParameters(poleLatitude, poleLongitude, GridLongitudeOfPole: gridLongitudeOfPole),
            LinearUnit = geographic.Ellipsoid.SemiMajor * Math.PI / 180.0,
        };
    }

    public double MetersPerUnit => IsGeographic ? Ellipsoid.SemiMajor * Math.PI / 180.0 * DegreesPerUnit : LinearUnit;

    /// <summary>Same coordinates for the same point: used to recognise a code behind a WKT or CF mapping.</summary>
    public bool SameCoordinates(CrsDefinition o)
    {
        if (Method != o.Method || !Ellipsoid.SameShape(o.Ellipsoid) || Math.Abs(PrimeMeridian - o.PrimeMeridian) > 1e-9
            || Math.Abs(DegreesPerUnit - o.DegreesPerUnit) > 1e-12 || Math.Abs(LinearUnit - o.LinearUnit) > 1e-9 || !SameDatumShift(o))
        {
            return false;
        }

        if (Method == ProjectionMethod.ProjNetOther)
        {
            return false;
        }

        return IsGeographic || (Projection is not null && o.Projection is not null && Projection.Matches(o.Projection));
    }

    /// <summary>True when lon/lat on this datum can be used unchanged on the other's (both WGS84-equivalent, or identical shifts).</summary>
    public bool SameDatumShift(CrsDefinition o)
    {
        if (ToWgs84 is null || o.ToWgs84 is null)
        {
            // Unknown relation: like PROJ's "ballpark" transformation, coordinates are used as they are.
            return true;
        }

        for (int i = 0; i < 7; i++)
        {
            double a = i < ToWgs84.Length ? ToWgs84[i] : 0;
            double b = i < o.ToWgs84.Length ? o.ToWgs84[i] : 0;
            if (Math.Abs(a - b) > 1e-9)
            {
                return false;
            }
        }

        return true;
    }
}
