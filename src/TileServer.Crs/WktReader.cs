using System.Globalization;

namespace TileServer.Crs;

/// <summary>Reads WKT1 (OGC 01-009, GDAL and ESRI dialects) and WKT2 (ISO 19162) into a <see cref="CrsDefinition"/>.</summary>
internal static class WktReader
{
    private const double DegreesPerRadian = 180.0 / Math.PI;

    /// <summary>The parsed definition and the root authority code ("EPSG:n", "OGC:CRS84") if the WKT names one.</summary>
    public static (CrsDefinition Definition, string? Authority) Read(string wkt)
    {
        var root = WktNode.Parse(wkt.Trim());
        return ReadCrs(root, wkt);
    }

    /// <summary>The root authority without interpreting the rest (WKT2 whose method we cannot convert may still carry a known ID).</summary>
    public static string? RootAuthority(string wkt)
    {
        try
        {
            var root = Unwrap(WktNode.Parse(wkt.Trim()));
            return Authority(root);
        }
        catch (CrsException)
        {
            return null;
        }
    }

    private static WktNode Unwrap(WktNode root)
    {
        for (int guard = 0; guard < 4; guard++)
        {
            if (root.Is("COMPD_CS", "COMPOUNDCRS"))
            {
                root = root.Children.FirstOrDefault(c => !c.Is("AUTHORITY", "ID", "USAGE", "SCOPE", "AREA", "BBOX", "REMARK"))
                    ?? throw new CrsException("Compound WKT has no horizontal CRS.");
            }
            else if (root.Is("BOUNDCRS"))
            {
                root = root.Child("SOURCECRS")?.Children.FirstOrDefault() ?? throw new CrsException("BOUNDCRS without SOURCECRS.");
            }
            else
            {
                break;
            }
        }

        return root;
    }

    private static (CrsDefinition, string?) ReadCrs(WktNode root, string originalText)
    {
        var bound = root.Is("BOUNDCRS") ? root : null;
        root = Unwrap(root);
        string? authority = Authority(root);
        CrsDefinition def;
        if (root.Is("GEOGCS", "GEOGCRS", "GEOGRAPHICCRS", "GEODCRS", "GEODETICCRS"))
        {
            if (root.Child("CS") is { } cs && cs.Arguments.Count > 0 && cs.Arguments[0] is string kind
                && !kind.Equals("ellipsoidal", StringComparison.OrdinalIgnoreCase))
            {
                throw new CrsException($"{root.Keyword} with a {kind} coordinate system (geocentric) cannot georeference a raster.");
            }

            def = root.Child("DERIVINGCONVERSION") is { } deriving
                ? ReadDerivedGeographic(root, deriving)
                : ReadGeographic(root) with { NorthEast = FirstAxisIsNorth(root) };
        }
        else if (root.Is("PROJCS"))
        {
            def = ReadWkt1Projected(root, originalText);
        }
        else if (root.Is("PROJCRS", "PROJECTEDCRS"))
        {
            def = ReadWkt2Projected(root);
        }
        else if (root.Is("GEOCCS"))
        {
            throw new CrsException("Geocentric CRS (GEOCCS) cannot georeference a raster.");
        }
        else
        {
            throw new CrsException($"Unsupported WKT root {root.Keyword}[…]: expected PROJCS, GEOGCS, PROJCRS or GEOGCRS.");
        }

        if (bound?.Child("ABRIDGEDTRANSFORMATION") is { } abridged && def.ToWgs84 is null)
        {
            def = def with { ToWgs84 = HelmertFromWkt2(abridged) };
        }

        return (def with { Name = root.Name ?? def.Name }, authority);
    }

    private static string? Authority(WktNode node)
    {
        var id = node.Child("AUTHORITY", "ID");
        if (id is null || id.Arguments.Count < 2 || id.Arguments[0] is not string auth)
        {
            return null;
        }

        string code = id.Arguments[1] switch
        {
            double d => d.ToString(CultureInfo.InvariantCulture),
            string s => s.Trim(),
            _ => "",
        };
        return code.Length == 0 ? null : auth.Trim().ToUpperInvariant() + ":" + code.ToUpperInvariant();
    }

    private static bool FirstAxisIsNorth(WktNode crs)
    {
        var axis = crs.Child("AXIS");
        if (axis is null || axis.Arguments.Count < 2)
        {
            return false;
        }

        string dir = axis.Arguments[1] as string ?? "";
        return dir.Equals("NORTH", StringComparison.OrdinalIgnoreCase) || dir.Equals("SOUTH", StringComparison.OrdinalIgnoreCase);
    }

    private static CrsDefinition ReadGeographic(WktNode geog)
    {
        var datum = geog.Child("DATUM", "GEODETICDATUM", "TRF", "ENSEMBLE")
            ?? throw new CrsException($"WKT {geog.Keyword} has no DATUM.");
        var sph = datum.Child("SPHEROID", "ELLIPSOID") ?? throw new CrsException("WKT DATUM has no SPHEROID/ELLIPSOID.");
        var ellipsoid = Ellipsoid.Checked("WKT", sph.Name ?? "unnamed", sph.Number(1) * LengthUnitOf(sph, 1), sph.Number(2));

        double angularUnit = AngleUnitOf(geog);
        var pm = geog.Child("PRIMEM");
        double primeMeridian = 0;
        if (pm is not null && pm.Arguments.Count > 1 && pm.Arguments[1] is double pmv)
        {
            // WKT2 gives the prime meridian its own ANGLEUNIT; GDAL and ESRI write WKT1's in degrees whatever the CRS unit.
            primeMeridian = pm.Child("ANGLEUNIT", "UNIT") is { } u ? pmv * u.Number(1) * DegreesPerRadian : pmv;
        }

        double[]? toWgs84 = null;
        if (datum.Child("TOWGS84") is { } tw)
        {
            toWgs84 = new double[7];
            for (int i = 0; i < Math.Min(7, tw.Arguments.Count); i++)
            {
                toWgs84[i] = tw.Number(i);
            }
        }
        else if (ellipsoid.IsWgs84Like)
        {
            toWgs84 = new double[7];
        }

        return new CrsDefinition
        {
            Name = geog.Name ?? "unnamed",
            DatumName = datum.Name ?? "unnamed",
            Ellipsoid = ellipsoid,
            ToWgs84 = toWgs84,
            PrimeMeridian = primeMeridian,
            DegreesPerUnit = angularUnit,
        };
    }

    /// <summary>Degrees per unit of the CRS's angular unit: WKT1 UNIT, WKT2 ANGLEUNIT at CRS level or on the first axis.</summary>
    private static double AngleUnitOf(WktNode crs)
    {
        var unit = crs.Child("ANGLEUNIT", "UNIT") ?? crs.Child("AXIS")?.Child("ANGLEUNIT", "UNIT");
        if (unit is null)
        {
            return 1;
        }

        double radians = unit.Number(1);
        if (!(radians > 0))
        {
            throw new CrsException($"WKT angular unit {unit.Name} has an invalid factor.");
        }

        double deg = radians * DegreesPerRadian;
        return Math.Abs(deg - 1) < 1e-12 ? 1 : deg;
    }

    private static double LengthUnitOf(WktNode node, int valueIndex)
    {
        _ = valueIndex;
        return node.Child("LENGTHUNIT", "UNIT") is { } u && u.Arguments.Count > 1 && u.Arguments[1] is double f && f > 0 ? f : 1;
    }

    private static CrsDefinition ReadWkt1Projected(WktNode projcs, string originalText)
    {
        var geogNode = projcs.Child("GEOGCS") ?? throw new CrsException("WKT PROJCS has no GEOGCS.");
        var geog = ReadGeographic(geogNode);
        var unit = projcs.Child("UNIT") ?? throw new CrsException("WKT PROJCS has no linear UNIT.");
        double metres = unit.Number(1);
        if (!(metres > 0))
        {
            throw new CrsException($"WKT linear unit {unit.Name} has an invalid factor.");
        }

        string method = projcs.Child("PROJECTION")?.Name ?? throw new CrsException("WKT PROJCS has no PROJECTION.");
        var builder = new ProjectionBuilder(method);
        foreach (var p in projcs.ChildrenNamed("PARAMETER"))
        {
            string name = p.Text(0);
            double v = p.Number(1);
            string norm = ProjectionBuilder.Normalize(name);
            bool isLength = norm.StartsWith("false", StringComparison.Ordinal);
            bool isScale = norm.Contains("scale", StringComparison.Ordinal);
            builder.Add(name, isLength ? v * metres : isScale ? v : v * geog.DegreesPerUnit);
        }

        var built = builder.Build();
        if (built is { } b && IsWebMercatorExtension(projcs, b.Method))
        {
            built = (ProjectionMethod.WebMercator, b.Parameters with { ScaleFactor = 1 });
        }

        var common = geog with
        {
            Name = projcs.Name ?? "unnamed",
            LinearUnit = metres,
            NorthEast = FirstAxisIsNorth(projcs),
        };

        if (built is { } ok)
        {
            return common with { Method = ok.Method, Projection = ok.Parameters };
        }

        if (ProjNetAdapter.KnowsProjection(method))
        {
            return common with { Method = ProjectionMethod.ProjNetOther, SourceWkt1 = originalText };
        }

        throw new CrsException($"Unsupported projection method '{method}' in WKT.");
    }

    /// <summary>GDAL writes EPSG:3857 as Mercator_1SP on WGS84 plus a PROJ4 extension that forces a sphere.</summary>
    private static bool IsWebMercatorExtension(WktNode projcs, ProjectionMethod method)
    {
        if (method != ProjectionMethod.Mercator || projcs.Child("EXTENSION") is not { } ext || ext.Arguments.Count < 2
            || ext.Arguments[1] is not string proj4)
        {
            return false;
        }

        return proj4.Contains("+proj=merc", StringComparison.Ordinal) && proj4.Contains("+a=6378137", StringComparison.Ordinal)
            && proj4.Contains("+b=6378137", StringComparison.Ordinal);
    }

    private static CrsDefinition ReadWkt2Projected(WktNode projcrs)
    {
        var baseNode = projcrs.Child("BASEGEOGCRS", "BASEGEODCRS", "BASEGEOGRAPHICCRS", "BASEGEODETICCRS")
            ?? throw new CrsException("WKT2 PROJCRS has no BASEGEOGCRS.");
        var geog = ReadGeographic(baseNode);
        var conversion = projcrs.Child("CONVERSION") ?? throw new CrsException("WKT2 PROJCRS has no CONVERSION.");
        var methodNode = conversion.Child("METHOD", "PROJECTION") ?? throw new CrsException("WKT2 CONVERSION has no METHOD.");
        var builder = new ProjectionBuilder(methodNode.Name ?? "", EpsgId(methodNode));

        double metres = 1;
        if ((projcrs.Child("LENGTHUNIT", "UNIT") ?? projcrs.Child("AXIS")?.Child("LENGTHUNIT", "UNIT")) is { } lu)
        {
            metres = lu.Number(1);
        }

        foreach (var p in conversion.ChildrenNamed("PARAMETER"))
        {
            double v = p.Number(1);
            if (p.Child("ANGLEUNIT") is { } au)
            {
                v *= au.Number(1) * DegreesPerRadian;
            }
            else if (p.Child("LENGTHUNIT") is { } lu2)
            {
                v *= lu2.Number(1);
            }
            else if (p.Child("SCALEUNIT") is { } su)
            {
                v *= su.Number(1);
            }
            else if (ProjectionBuilder.Normalize(p.Text(0)).Contains("easting", StringComparison.Ordinal)
                || ProjectionBuilder.Normalize(p.Text(0)).Contains("northing", StringComparison.Ordinal))
            {
                v *= metres;
            }

            builder.Add(p.Text(0), v, EpsgId(p));
        }

        var built = builder.Build()
            ?? throw new CrsException($"Unsupported projection method '{methodNode.Name}' in WKT2.");
        return geog with
        {
            Name = projcrs.Name ?? "unnamed",
            LinearUnit = metres,
            NorthEast = FirstAxisIsNorth(projcrs),
            Method = built.Method,
            Projection = built.Parameters,
        };
    }

    /// <summary>WKT2 GEOGCRS with a BASEGEOGCRS and a DERIVINGCONVERSION: a rotated pole (others are refused).</summary>
    private static CrsDefinition ReadDerivedGeographic(WktNode geogcrs, WktNode deriving)
    {
        var baseNode = geogcrs.Child("BASEGEOGCRS", "BASEGEODCRS", "BASEGEOGRAPHICCRS", "BASEGEODETICCRS")
            ?? throw new CrsException("WKT2 derived GEOGCRS has no BASEGEOGCRS.");
        var method = deriving.Child("METHOD")?.Name ?? throw new CrsException("WKT2 DERIVINGCONVERSION has no METHOD.");
        var parameters = new List<(string, double)>();
        foreach (var p in deriving.ChildrenNamed("PARAMETER"))
        {
            double v = p.Number(1);
            parameters.Add((p.Text(0), p.Child("ANGLEUNIT") is { } au ? v * au.Number(1) * DegreesPerRadian : v));
        }

        return RotatedPoleWkt.Read(ReadGeographic(baseNode), geogcrs.Name ?? "rotated pole", method, parameters);
    }

    private static int EpsgId(WktNode node)
    {
        var id = node.Child("ID", "AUTHORITY");
        if (id is null || id.Arguments.Count < 2 || id.Arguments[0] is not string auth || !auth.Equals("EPSG", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        return id.Arguments[1] switch
        {
            double d => (int)d,
            string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) => i,
            _ => 0,
        };
    }

    private static double[]? HelmertFromWkt2(WktNode abridged)
    {
        // TOWGS84 is position-vector; the coordinate-frame method (EPSG:9607) has the rotations' signs flipped.
        var method = abridged.Child("METHOD");
        bool coordinateFrame = method is not null && (EpsgId(method) is 9607 or 1032
            || (method.Name ?? "").Contains("frame", StringComparison.OrdinalIgnoreCase));
        var values = new double[7];
        int found = 0;
        foreach (var p in abridged.ChildrenNamed("PARAMETER"))
        {
            int index = EpsgId(p) switch
            {
                8605 => 0, 8606 => 1, 8607 => 2, 8608 => 3, 8609 => 4, 8610 => 5, 8611 => 6, _ => -1,
            };
            if (index >= 0)
            {
                values[index] = p.Number(1);
                found++;
            }
        }

        if (coordinateFrame)
        {
            values[3] = -values[3];
            values[4] = -values[4];
            values[5] = -values[5];
        }

        return found > 0 ? values : null;
    }
}
