using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TileServer.Crs;

/// <summary>
/// Builds a definition from CF grid-mapping parameters (CF 1.11 appendix F) when no WKT is present. Parameters are in
/// degrees; false easting/northing in the projection coordinates' units (metres unless told otherwise).
/// </summary>
internal static class CfGridMappingReader
{
    public static CrsDefinition Read(JsonObject a, double metresPerUnit)
    {
        string name = Str(a, "grid_mapping_name") ?? throw new CrsException("CF grid mapping has no grid_mapping_name.");
        var ellipsoid = ReadEllipsoid(a);
        var geog = new CrsDefinition
        {
            Name = Str(a, "geographic_crs_name") ?? "unknown",
            DatumName = Str(a, "horizontal_datum_name") ?? "unknown",
            Ellipsoid = ellipsoid,
            ToWgs84 = ReadToWgs84(a) ?? (ellipsoid.IsWgs84Like ? new double[7] : null),
            PrimeMeridian = Num(a, "longitude_of_prime_meridian", 0) ?? 0,
        };

        if (name == "latitude_longitude")
        {
            return geog with { NorthEast = true };
        }

        if (name == "rotated_latitude_longitude")
        {
            double poleLat = Num(a, "grid_north_pole_latitude", 0) ?? throw new CrsException("CF rotated_latitude_longitude has no grid_north_pole_latitude.");
            double poleLon = Num(a, "grid_north_pole_longitude", 0) ?? throw new CrsException("CF rotated_latitude_longitude has no grid_north_pole_longitude.");
            return CrsDefinition.RotatedPole(geog, Str(a, "projected_crs_name") ?? "rotated pole", poleLat, poleLon, Num(a, "north_pole_grid_longitude", 0) ?? 0);
        }

        double? sp1 = Num(a, "standard_parallel", 0);
        string method = name switch
        {
            "transverse_mercator" => "Transverse_Mercator",
            "lambert_conformal_conic" => "Lambert_Conformal_Conic_2SP",
            "albers_conical_equal_area" => "Albers_Conic_Equal_Area",
            "lambert_azimuthal_equal_area" => "Lambert_Azimuthal_Equal_Area",
            "polar_stereographic" => "Polar_Stereographic",
            "mercator" => sp1 is null ? "Mercator_1SP" : "Mercator_2SP",
            _ => throw new CrsException($"Unsupported CF grid_mapping_name '{name}'."),
        };
        if (sp1 is null && name is "lambert_conformal_conic" or "albers_conical_equal_area")
        {
            throw new CrsException($"CF {name} has no standard_parallel.");
        }

        if (name == "polar_stereographic" && Num(a, "latitude_of_projection_origin", 0) is null && sp1 is null)
        {
            throw new CrsException("CF polar_stereographic has no latitude_of_projection_origin.");
        }

        var built = new ProjectionBuilder(method);
        foreach (var (k, v) in Collected(method, a, metresPerUnit))
        {
            built.Add(k, v);
        }

        var result = built.Build() ?? throw new CrsException($"CF grid mapping '{name}' has inconsistent parameters.");
        return geog with
        {
            Name = Str(a, "projected_crs_name") ?? "unknown",
            Method = result.Method,
            Projection = result.Parameters,
            LinearUnit = metresPerUnit,
        };
    }

    /// <summary>The CF attributes as WKT1 parameters, so CF goes through the same method decision as every other dialect.</summary>
    private static IEnumerable<(string, double)> Collected(string method, JsonObject a, double metresPerUnit)
    {
        yield return ("false_easting", (Num(a, "false_easting", 0) ?? 0) * metresPerUnit);
        yield return ("false_northing", (Num(a, "false_northing", 0) ?? 0) * metresPerUnit);
        double? sp1 = Num(a, "standard_parallel", 0);
        double? sp2 = Num(a, "standard_parallel", 1) ?? sp1;
        switch (method)
        {
            case "Transverse_Mercator":
                foreach (var p in Some(("latitude_of_origin", Num(a, "latitude_of_projection_origin", 0)),
                             ("central_meridian", Num(a, "longitude_of_central_meridian", 0)),
                             ("scale_factor", Num(a, "scale_factor_at_central_meridian", 0))))
                {
                    yield return p;
                }

                break;
            case "Lambert_Conformal_Conic_2SP" or "Albers_Conic_Equal_Area":
                foreach (var p in Some(("latitude_of_origin", Num(a, "latitude_of_projection_origin", 0)),
                             ("central_meridian", Num(a, "longitude_of_central_meridian", 0)),
                             ("standard_parallel_1", sp1), ("standard_parallel_2", sp2)))
                {
                    yield return p;
                }

                break;
            case "Lambert_Azimuthal_Equal_Area":
                foreach (var p in Some(("latitude_of_origin", Num(a, "latitude_of_projection_origin", 0)),
                             ("central_meridian", Num(a, "longitude_of_projection_origin", 0))))
                {
                    yield return p;
                }

                break;
            case "Polar_Stereographic":
                foreach (var p in Some(("central_meridian", Num(a, "straight_vertical_longitude_from_pole", 0) ?? Num(a, "longitude_of_projection_origin", 0)),
                             ("standard_parallel_1", sp1),
                             ("latitude_of_origin", sp1 is null ? Num(a, "latitude_of_projection_origin", 0) : null),
                             ("scale_factor", Num(a, "scale_factor_at_projection_origin", 0))))
                {
                    yield return p;
                }

                if (sp1 is not null && Num(a, "latitude_of_projection_origin", 0) is { } pole && Math.Sign(pole) != Math.Sign(sp1.Value))
                {
                    throw new CrsException("CF polar_stereographic standard_parallel is in the other hemisphere than the pole.");
                }

                break;
            default:
                foreach (var p in Some(("central_meridian", Num(a, "longitude_of_projection_origin", 0)), ("standard_parallel_1", sp1),
                             ("scale_factor", Num(a, "scale_factor_at_projection_origin", 0))))
                {
                    yield return p;
                }

                break;
        }
    }

    private static IEnumerable<(string, double)> Some(params (string Name, double? Value)[] items)
    {
        foreach (var (n, v) in items)
        {
            if (v is { } d)
            {
                yield return (n, d);
            }
        }
    }

    private static Ellipsoid ReadEllipsoid(JsonObject a)
    {
        string name = Str(a, "reference_ellipsoid_name") ?? "unnamed";
        if (Num(a, "earth_radius", 0) is { } r)
        {
            return Ellipsoid.Checked("CF", name, r, 0);
        }

        double? major = Num(a, "semi_major_axis", 0);
        if (major is null)
        {
            // CF: without ellipsoid attributes the figure is unspecified; producers mean WGS84 in practice.
            return Ellipsoid.Wgs84;
        }

        double inverseFlattening = Num(a, "inverse_flattening", 0) ?? Ellipsoid.FromAxes(name, major.Value, Num(a, "semi_minor_axis", 0) ?? major.Value).InverseFlattening;
        return Ellipsoid.Checked("CF", name, major.Value, inverseFlattening);
    }

    private static double[]? ReadToWgs84(JsonObject a)
    {
        if (a["towgs84"] is not JsonArray arr || arr.Count < 3)
        {
            return null;
        }

        var v = new double[7];
        for (int i = 0; i < Math.Min(7, arr.Count); i++)
        {
            v[i] = Num(arr[i]) is { } d && double.IsFinite(d) ? d : throw new CrsException($"CF towgs84 value {i + 1} is {arr[i]?.ToJsonString() ?? "null"}, not a finite number.");
        }

        return v;
    }

    internal static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>
    /// A number attribute, or element <paramref name="index"/> of a number-array attribute; numeric strings accepted.
    /// Null when absent; an attribute that is there but no finite number is refused rather than taken as absent.
    /// </summary>
    internal static double? Num(JsonObject o, string key, int index)
    {
        var node = o[key] switch
        {
            JsonArray arr => index < arr.Count ? arr[index] : null,
            var n when index == 0 => n,
            _ => null,
        };
        if (node is null)
        {
            return null;
        }

        return Num(node) is { } d && double.IsFinite(d)
            ? d
            : throw new CrsException($"CF grid mapping attribute '{key}' is {node.ToJsonString()}, not a finite number.");
    }

    private static double? Num(JsonNode? n) => n switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String
            && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
        _ => null,
    };
}
