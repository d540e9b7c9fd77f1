using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TileServer.Crs;

/// <summary>Reads the PROJJSON CRS forms producers write (GeographicCRS, GeodeticCRS, ProjectedCRS, BoundCRS, CompoundCRS).</summary>
internal static class ProjJsonReader
{
    public static string? RootId(JsonNode node)
    {
        var crs = Unwrap(node);
        return crs is null ? null : IdOf(crs);
    }

    public static (CrsDefinition Definition, string? Authority) Read(JsonNode node)
    {
        var crs = Unwrap(node) ?? throw new CrsException("PROJJSON is not an object.");
        string type = Str(crs, "type") ?? throw new CrsException("PROJJSON has no \"type\".");
        string? id = IdOf(crs);
        switch (type)
        {
            case "GeographicCRS" or "GeodeticCRS":
                if (crs["coordinate_system"] is JsonObject cs0 && Str(cs0, "subtype") is { } sub && sub != "ellipsoidal")
                {
                    throw new CrsException($"PROJJSON {type} with a {sub} coordinate system cannot georeference a raster.");
                }

                return (Geographic(crs) with { NorthEast = FirstAxisNorth(crs) }, id);
            case "ProjectedCRS":
                return (Projected(crs), id);
            default:
                throw new CrsException($"Unsupported PROJJSON CRS type '{type}'.");
        }
    }

    private static JsonObject? Unwrap(JsonNode node)
    {
        var o = node as JsonObject;
        for (int guard = 0; o is not null && guard < 4; guard++)
        {
            switch (Str(o, "type"))
            {
                case "BoundCRS":
                    o = o["source_crs"] as JsonObject;
                    break;
                case "CompoundCRS":
                    o = (o["components"] as JsonArray)?.FirstOrDefault() as JsonObject;
                    break;
                default:
                    return o;
            }
        }

        return o;
    }

    private static string? IdOf(JsonObject o)
    {
        var id = o["id"] as JsonObject ?? (o["ids"] as JsonArray)?.FirstOrDefault() as JsonObject;
        if (id is null || Str(id, "authority") is not { } auth || id["code"] is not JsonValue code)
        {
            return null;
        }

        string c = code.GetValueKind() == JsonValueKind.Number
            ? code.GetValue<double>().ToString(CultureInfo.InvariantCulture)
            : code.ToString();
        return auth.ToUpperInvariant() + ":" + c.ToUpperInvariant();
    }

    private static CrsDefinition Geographic(JsonObject crs)
    {
        var datum = crs["datum"] as JsonObject ?? crs["datum_ensemble"] as JsonObject
            ?? throw new CrsException("PROJJSON geographic CRS has no datum.");
        var ell = datum["ellipsoid"] as JsonObject;
        Ellipsoid ellipsoid;
        if (ell is null)
        {
            // PROJ omits the ellipsoid of well-known ensembles only when it writes an id; default to WGS84 there.
            ellipsoid = (Str(datum, "name") ?? "").Contains("WGS", StringComparison.OrdinalIgnoreCase)
                ? Ellipsoid.Wgs84
                : throw new CrsException("PROJJSON datum has no ellipsoid.");
        }
        else
        {
            double a = Num(ell, "semi_major_axis") ?? Num(ell, "radius") ?? throw new CrsException("PROJJSON ellipsoid has no semi_major_axis.");
            string name = Str(ell, "name") ?? "unnamed";
            double invf = Num(ell, "inverse_flattening") ?? Ellipsoid.FromAxes(name, a, Num(ell, "semi_minor_axis") ?? a).InverseFlattening;
            ellipsoid = Ellipsoid.Checked("PROJJSON", name, a, invf);
        }

        double pm = 0;
        if (datum["prime_meridian"] is JsonObject pmo && Num(pmo, "longitude") is { } pml)
        {
            double pmUnit = pmo["longitude"] is JsonObject lo ? UnitFactor(lo["unit"], Math.PI / 180) : Math.PI / 180;
            pm = pml * pmUnit * 180 / Math.PI;
        }

        double dpu = 1;
        if (crs["coordinate_system"] is JsonObject cs && cs["axis"] is JsonArray axes && axes.FirstOrDefault() is JsonObject ax
            && ax["unit"] is { } unit)
        {
            dpu = UnitFactor(unit, Math.PI / 180) * 180 / Math.PI;
        }

        return new CrsDefinition
        {
            Name = Str(crs, "name") ?? "unnamed",
            DatumName = Str(datum, "name") ?? "unnamed",
            Ellipsoid = ellipsoid,
            ToWgs84 = ellipsoid.IsWgs84Like ? new double[7] : null,
            PrimeMeridian = pm,
            DegreesPerUnit = Math.Abs(dpu - 1) < 1e-12 ? 1 : dpu,
        };
    }

    private static CrsDefinition Projected(JsonObject crs)
    {
        var baseCrs = crs["base_crs"] as JsonObject ?? throw new CrsException("PROJJSON ProjectedCRS has no base_crs.");
        var geog = Geographic(baseCrs);
        var conv = crs["conversion"] as JsonObject ?? throw new CrsException("PROJJSON ProjectedCRS has no conversion.");
        var method = conv["method"] as JsonObject ?? throw new CrsException("PROJJSON conversion has no method.");
        double metres = 1;
        if (crs["coordinate_system"] is JsonObject cs && cs["axis"] is JsonArray axes && axes.FirstOrDefault() is JsonObject ax)
        {
            metres = UnitFactor(ax["unit"], 1);
        }

        var builder = new ProjectionBuilder(Str(method, "name") ?? "", EpsgCode(method));
        if (conv["parameters"] is JsonArray ps)
        {
            foreach (var p in ps.OfType<JsonObject>())
            {
                string name = Str(p, "name") ?? "";
                double v = Num(p, "value") ?? throw new CrsException($"PROJJSON parameter '{name}' has no value.");
                string norm = ProjectionBuilder.Normalize(name);
                bool isLength = norm.Contains("easting", StringComparison.Ordinal) || norm.Contains("northing", StringComparison.Ordinal);
                bool isScale = norm.Contains("scale", StringComparison.Ordinal);
                if (isLength)
                {
                    v *= UnitFactor(p["unit"], metres);
                }
                else if (!isScale)
                {
                    v *= UnitFactor(p["unit"], Math.PI / 180) * 180 / Math.PI;
                }

                builder.Add(name, v, EpsgCode(p));
            }
        }

        var built = builder.Build() ?? throw new CrsException($"Unsupported projection method '{Str(method, "name")}' in PROJJSON.");
        return geog with
        {
            Name = Str(crs, "name") ?? "unnamed",
            LinearUnit = metres,
            NorthEast = FirstAxisNorth(crs),
            Method = built.Method,
            Projection = built.Parameters,
        };
    }

    /// <summary>PROJJSON units are "metre"/"degree"/"unity" strings or objects with conversion_factor.</summary>
    private static double UnitFactor(JsonNode? unit, double fallback) => unit switch
    {
        JsonObject o when Num(o, "conversion_factor") is { } f => f,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() switch
        {
            "metre" or "meter" => 1,
            "kilometre" or "kilometer" => 1000,
            "degree" => Math.PI / 180,
            "US survey foot" => 1200.0 / 3937,
            "foot" => 0.3048,
            "unity" => 1,
            _ => fallback,
        },
        _ => fallback,
    };

    private static bool FirstAxisNorth(JsonObject crs) =>
        crs["coordinate_system"] is JsonObject cs && cs["axis"] is JsonArray axes && axes.FirstOrDefault() is JsonObject ax
        && Str(ax, "direction") is "north" or "south";

    private static int EpsgCode(JsonObject o) =>
        o["id"] is JsonObject id && Str(id, "authority") is "EPSG" && id["code"] is JsonValue c && c.TryGetValue(out int code)
            ? code
            : 0;

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>A number, or a <c>{value, unit}</c> object's value; null when absent; a non-finite number is refused.</summary>
    private static double? Num(JsonObject o, string key)
    {
        double? value = o[key] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
            JsonObject vo when vo["value"] is JsonValue inner && inner.GetValueKind() == JsonValueKind.Number => inner.GetValue<double>(),
            _ => null,
        };
        return value is { } d && !double.IsFinite(d) ? throw new CrsException($"PROJJSON \"{key}\" is not a finite number.") : value;
    }
}
