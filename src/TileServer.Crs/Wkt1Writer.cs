using System.Globalization;
using System.Text;

namespace TileServer.Crs;

/// <summary>Writes a <see cref="CrsDefinition"/> as OGC WKT1 in GDAL's dialect (parameter names ProjNet and GDAL both read).</summary>
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

        var p = d.Projection ?? new ProjectionParameters();
        sb.Append("PROJCS[").Append(Quote(d.Name)).Append(',');
        WriteGeogcs(sb, d, BaseName(d), withAxes: false);
        double u = d.LinearUnit;
        switch (d.Method)
        {
            case ProjectionMethod.WebMercator:
                Projection(sb, "Mercator_1SP");
                Param(sb, "central_meridian", p.CentralMeridian);
                Param(sb, "scale_factor", 1);
                break;
            case ProjectionMethod.Mercator when !double.IsNaN(p.StandardParallel1):
                Projection(sb, "Mercator_2SP");
                Param(sb, "standard_parallel_1", p.StandardParallel1);
                Param(sb, "central_meridian", p.CentralMeridian);
                break;
            case ProjectionMethod.Mercator:
                Projection(sb, "Mercator_1SP");
                Param(sb, "central_meridian", p.CentralMeridian);
                Param(sb, "scale_factor", p.ScaleFactor);
                break;
            case ProjectionMethod.TransverseMercator:
                Projection(sb, "Transverse_Mercator");
                Param(sb, "latitude_of_origin", p.LatitudeOfOrigin);
                Param(sb, "central_meridian", p.CentralMeridian);
                Param(sb, "scale_factor", p.ScaleFactor);
                break;
            case ProjectionMethod.LambertConformalConic when double.IsNaN(p.StandardParallel1):
                Projection(sb, "Lambert_Conformal_Conic_1SP");
                Param(sb, "latitude_of_origin", p.LatitudeOfOrigin);
                Param(sb, "central_meridian", p.CentralMeridian);
                Param(sb, "scale_factor", p.ScaleFactor);
                break;
            case ProjectionMethod.LambertConformalConic:
                Projection(sb, "Lambert_Conformal_Conic_2SP");
                Param(sb, "latitude_of_origin", p.LatitudeOfOrigin);
                Param(sb, "central_meridian", p.CentralMeridian);
                Param(sb, "standard_parallel_1", p.StandardParallel1);
                Param(sb, "standard_parallel_2", double.IsNaN(p.StandardParallel2) ? p.StandardParallel1 : p.StandardParallel2);
                break;
            case ProjectionMethod.PolarStereographic:
                // GDAL's WKT1 puts the latitude of true scale (variant B) in latitude_of_origin.
                Projection(sb, "Polar_Stereographic");
                Param(sb, "latitude_of_origin", double.IsNaN(p.StandardParallel1) ? p.LatitudeOfOrigin : p.StandardParallel1);
                Param(sb, "central_meridian", p.CentralMeridian);
                Param(sb, "scale_factor", p.ScaleFactor);
                break;
            case ProjectionMethod.AlbersEqualArea:
                Projection(sb, "Albers_Conic_Equal_Area");
                Param(sb, "latitude_of_center", p.LatitudeOfOrigin);
                Param(sb, "longitude_of_center", p.CentralMeridian);
                Param(sb, "standard_parallel_1", p.StandardParallel1);
                Param(sb, "standard_parallel_2", double.IsNaN(p.StandardParallel2) ? p.StandardParallel1 : p.StandardParallel2);
                break;
            case ProjectionMethod.LambertAzimuthalEqualArea:
                Projection(sb, "Lambert_Azimuthal_Equal_Area");
                Param(sb, "latitude_of_center", p.LatitudeOfOrigin);
                Param(sb, "longitude_of_center", p.CentralMeridian);
                break;
            default:
                return d.SourceWkt1 ?? throw new CrsException($"Cannot write WKT1 for {d.Name}.");
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

    private static void Projection(StringBuilder sb, string name) => sb.Append(",PROJECTION[").Append(Quote(name)).Append(']');

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
