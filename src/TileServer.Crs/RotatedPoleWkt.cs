using System.Globalization;
using System.Text;

namespace TileServer.Crs;

/// <summary>
/// A rotated pole as WKT. WKT1 has no form for it (GDAL refuses: "DerivedGeographicCRS can only be exported to WKT2"),
/// so it is written as the WKT2 derived geographic CRS PROJ writes for CF grids, and read from both forms PROJ writes:
/// the CF pole rotation and <c>PROJ ob_tran o_proj=longlat</c>.
/// </summary>
internal static class RotatedPoleWkt
{
    private const string CfMethod = "Pole rotation (netCDF CF convention)";

    public static string Write(CrsDefinition d)
    {
        var p = d.Projection ?? throw new CrsException($"Rotated pole {d.Name} has no parameters.");
        var e = d.Ellipsoid;
        var sb = new StringBuilder(768);
        sb.Append("GEOGCRS[").Append(Quote(d.Name)).Append(",BASEGEOGCRS[\"unknown\",DATUM[").Append(Quote(d.DatumName)).Append(",ELLIPSOID[").Append(Quote(e.Name)).Append(',').Append(Num(e.SemiMajor)).Append(',')
            .Append(Num(e.InverseFlattening)).Append(",LENGTHUNIT[\"metre\",1]]],PRIMEM[\"Greenwich\",").Append(Num(d.PrimeMeridian))
            .Append(",ANGLEUNIT[\"degree\",0.0174532925199433]]],DERIVINGCONVERSION[").Append(Quote(CfMethod)).Append(",METHOD[").Append(Quote(CfMethod)).Append(']');
        Parameter(sb, "Grid north pole latitude (netCDF CF convention)", p.LatitudeOfOrigin);
        Parameter(sb, "Grid north pole longitude (netCDF CF convention)", p.CentralMeridian);
        Parameter(sb, "North pole grid longitude (netCDF CF convention)", p.GridLongitudeOfPole);
        sb.Append("],CS[ellipsoidal,2],AXIS[\"longitude\",east,ORDER[1],ANGLEUNIT[\"degree\",0.0174532925199433]],")
            .Append("AXIS[\"latitude\",north,ORDER[2],ANGLEUNIT[\"degree\",0.0174532925199433]]]");
        return sb.ToString();
    }

    /// <summary>
    /// The rotated pole a <c>DERIVINGCONVERSION</c> describes, on <paramref name="baseCrs"/>; parameters already in
    /// degrees (name, value). Throws for another derivation: a derived geographic CRS we cannot compute must not be
    /// read as its base.
    /// </summary>
    public static CrsDefinition Read(CrsDefinition baseCrs, string name, string method, IReadOnlyList<(string Name, double Degrees)> parameters)
    {
        double Find(string wanted, double? fallback)
        {
            foreach (var (n, v) in parameters)
            {
                if (ProjectionBuilder.Normalize(n) == wanted)
                {
                    return v;
                }
            }

            return fallback ?? throw new CrsException($"WKT pole rotation has no parameter '{wanted}'.");
        }

        return ProjectionBuilder.Normalize(method) switch
        {
            "polerotationnetcdfcfconvention" => CrsDefinition.RotatedPole(baseCrs, name,
                Find("gridnorthpolelatitudenetcdfcfconvention", null), Find("gridnorthpolelongitudenetcdfcfconvention", null), Find("northpolegridlongitudenetcdfcfconvention", 0)),
            "projobtranoprojlonglat" => CrsDefinition.RotatedPole(baseCrs, name, Find("olatp", null), Find("lon0", 0) - 180, Find("olonp", 0)),
            _ => throw new CrsException($"Unsupported derived geographic CRS (method '{method}'): only CF pole rotations are read."),
        };
    }

    private static void Parameter(StringBuilder sb, string name, double degrees) =>
        sb.Append(",PARAMETER[").Append(Quote(name)).Append(',').Append(Num(degrees)).Append(",ANGLEUNIT[\"degree\",0.0174532925199433]]");

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
