using System.Globalization;
using System.Text;

namespace TileServer.Crs;

/// <summary>
/// Writes a <see cref="CrsDefinition"/> as OGC WKT1 in GDAL's dialect (parameter names ProjNet and GDAL both read); a rotated
/// pole, which WKT1 cannot hold, as the WKT2 of <see cref="RotatedPoleWkt"/>.
/// </summary>
internal static class Wkt1Writer
{
    public static string Write(CrsDefinition d)
    {
        var sb = new StringBuilder(512);
        if (d.IsGeographic)
        {
            WriteGeogcs(sb, d, d.Name, withAxes: true);
            return sb.ToString();
        }

        if (d.Method == ProjectionMethod.RotatedPole)
        {
            return RotatedPoleWkt.Write(d);
        }

        var p = d.Projection ?? new ProjectionParameters();
        sb.Append("PROJCS[").Append(Quote(d.Name)).Append(',');
        WriteGeogcs(sb, d, BaseName(d), withAxes: false);
        double u = d.LinearUnit;
        if (Gdal(d.Method, p) is not { } gdal)
        {
            return d.SourceWkt1 ?? throw new CrsException($"Cannot write WKT1 for {d.Name}.");
        }

        sb.Append(",PROJECTION[").Append(Quote(gdal.Projection)).Append(']');
        foreach (var (name, value) in gdal.Parameters)
        {
            Param(sb, name, value);
        }

        Param(sb, "false_easting", p.FalseEasting / u);
        Param(sb, "false_northing", p.FalseNorthing / u);
        sb.Append(",UNIT[").Append(Quote(UnitName(u))).Append(',').Append(Num(u)).Append("],");
        sb.Append(d.NorthEast ? "AXIS[\"Northing\",NORTH],AXIS[\"Easting\",EAST]" : "AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH]");
        if (d.Method == ProjectionMethod.WebMercator)
        {
            sb.Append(",EXTENSION[\"PROJ4\",\"+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs\"]");
        }

        Authority(sb, d.Code);
        sb.Append(']');
        return sb.ToString();
    }

    /// <summary>Just the GEOGCS of a definition (the datum ProjNet needs for a Helmert shift).</summary>
    public static string WriteGeographicPart(CrsDefinition d, bool forceShift = false)
    {
        var sb = new StringBuilder(256);
        WriteGeogcs(sb, d, d.IsGeographic ? d.Name : BaseName(d), withAxes: false, forceShift);
        return sb.ToString();
    }

    private static string BaseName(CrsDefinition d)
    {
        int slash = d.Name.IndexOf(" / ", StringComparison.Ordinal);
        return slash > 0 ? d.Name[..slash] : "unknown";
    }

    private static void WriteGeogcs(StringBuilder sb, CrsDefinition d, string name, bool withAxes, bool forceShift = false)
    {
        var e = d.Ellipsoid;
        sb.Append("GEOGCS[").Append(Quote(name)).Append(",DATUM[").Append(Quote(d.DatumName))
            .Append(",SPHEROID[").Append(Quote(e.Name)).Append(',').Append(Num(e.SemiMajor)).Append(',').Append(Num(e.InverseFlattening)).Append(']');
        if (d.ToWgs84 is { } t && (forceShift || !e.IsWgs84Like || t.Any(v => v != 0)))
        {
            sb.Append(",TOWGS84[").AppendJoin(',', t.Select(Num)).Append(']');
        }

        sb.Append("],PRIMEM[\"Greenwich\",").Append(Num(d.PrimeMeridian)).Append(']');
        sb.Append(",UNIT[\"degree\",").Append(Num(d.DegreesPerUnit * Math.PI / 180.0)).Append(']');
        if (withAxes)
        {
            sb.Append(d.NorthEast ? ",AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST]" : ",AXIS[\"Longitude\",EAST],AXIS[\"Latitude\",NORTH]");
            Authority(sb, d.Code);
        }

        sb.Append(']');
    }

    private static void Authority(StringBuilder sb, string? code)
    {
        int colon = code?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (code is not null && colon > 0)
        {
            sb.Append(",AUTHORITY[").Append(Quote(code[..colon])).Append(',').Append(Quote(code[(colon + 1)..])).Append(']');
        }
    }

    /// <summary>GDAL's WKT1 projection name and parameters (before false easting/northing) for a method; null for ProjNet-only ones.</summary>
    private static (string Projection, (string Name, double Value)[] Parameters)? Gdal(ProjectionMethod method, ProjectionParameters p)
    {
        double sp2 = double.IsNaN(p.StandardParallel2) ? p.StandardParallel1 : p.StandardParallel2;
        return method switch
        {
            ProjectionMethod.WebMercator => ("Mercator_1SP", [("central_meridian", p.CentralMeridian), ("scale_factor", 1)]),
            ProjectionMethod.Mercator when !double.IsNaN(p.StandardParallel1) => ("Mercator_2SP", [("standard_parallel_1", p.StandardParallel1), ("central_meridian", p.CentralMeridian)]),
            ProjectionMethod.Mercator => ("Mercator_1SP", [("central_meridian", p.CentralMeridian), ("scale_factor", p.ScaleFactor)]),
            ProjectionMethod.TransverseMercator => ("Transverse_Mercator", [("latitude_of_origin", p.LatitudeOfOrigin), ("central_meridian", p.CentralMeridian), ("scale_factor", p.ScaleFactor)]),
            ProjectionMethod.LambertConformalConic when double.IsNaN(p.StandardParallel1) =>
                ("Lambert_Conformal_Conic_1SP", [("latitude_of_origin", p.LatitudeOfOrigin), ("central_meridian", p.CentralMeridian), ("scale_factor", p.ScaleFactor)]),
            ProjectionMethod.LambertConformalConic =>
                ("Lambert_Conformal_Conic_2SP", [("latitude_of_origin", p.LatitudeOfOrigin), ("central_meridian", p.CentralMeridian), ("standard_parallel_1", p.StandardParallel1), ("standard_parallel_2", sp2)]),

            // GDAL's WKT1 puts the latitude of true scale (variant B) in latitude_of_origin.
            ProjectionMethod.PolarStereographic => ("Polar_Stereographic",
                [("latitude_of_origin", double.IsNaN(p.StandardParallel1) ? p.LatitudeOfOrigin : p.StandardParallel1), ("central_meridian", p.CentralMeridian), ("scale_factor", p.ScaleFactor)]),
            ProjectionMethod.AlbersEqualArea =>
                ("Albers_Conic_Equal_Area", [("latitude_of_center", p.LatitudeOfOrigin), ("longitude_of_center", p.CentralMeridian), ("standard_parallel_1", p.StandardParallel1), ("standard_parallel_2", sp2)]),
            ProjectionMethod.LambertAzimuthalEqualArea => ("Lambert_Azimuthal_Equal_Area", [("latitude_of_center", p.LatitudeOfOrigin), ("longitude_of_center", p.CentralMeridian)]),
            _ => null,
        };
    }

    private static void Param(StringBuilder sb, string name, double value) =>
        sb.Append(",PARAMETER[").Append(Quote(name)).Append(',').Append(Num(value)).Append(']');

    private static string UnitName(double metres) => metres switch
    {
        1 => "metre",
        1000 => "kilometre",
        0.3048 => "foot",
        _ => "unit",
    };

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
