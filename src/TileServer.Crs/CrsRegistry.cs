using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TileServer.Crs.Projections;

namespace TileServer.Crs;

/// <summary>
/// Resolves CRSs from codes, URIs, WKT, PROJJSON and CF grid mappings, and builds transforms between them.
/// One instance per process (DI singleton); thread-safe; parsed CRSs and transforms are cached per input text.
/// </summary>
/// <remarks>
/// Datums: geographic coordinates on WGS84, NAD83, ETRS89, SIRGAS 2000 (and any datum whose TOWGS84 is zero or
/// unknown) are used unchanged — the sub-metre differences between these realisations are ignored, as PROJ does
/// without grids. Only two CRSs with different, known TOWGS84 parameters get a Helmert shift (through ProjNet).
/// </remarks>
public sealed class CrsRegistry
{
    /// <summary>Bounds the caches against metadata that invents a new WKT per request.</summary>
    private const int MaxCachedEntries = 2048;

    private readonly ConcurrentDictionary<string, CrsInfo> _crsCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string From, string To), ICoordinateTransform> _transformCache = new();

    /// <summary>The codes <see cref="FromCode"/> knows, normalised ("EPSG:4326", "OGC:CRS84", …).</summary>
    public IEnumerable<string> KnownCodes => EpsgTable.Codes;

    /// <summary>"EPSG:4326", "epsg:3857", "OGC:CRS84", "EPSG:32633" …</summary>
    public CrsInfo FromCode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        string normalized = NormalizeCode(code);
        return Cached("code:" + normalized, () =>
        {
            if (!EpsgTable.TryGet(normalized, out var def))
            {
                throw new CrsException($"Unknown CRS code '{code}'. Known: EPSG:4326, 4269, 4258, 4674, 3857, 3395, 3035, 3031, 3413, 2154, 27700, 5070, 31985, 32601–32660, 32701–32760 and OGC:CRS84; give the CRS as WKT otherwise.");
            }

            return ToInfo(def, Wkt1Writer.Write(def));
        });
    }

    /// <summary>OGC URI (<c>http://www.opengis.net/def/crs/EPSG/0/3857</c>) or URN (<c>urn:ogc:def:crs:EPSG::3857</c>).</summary>
    public CrsInfo FromUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return FromCode(CodeFromUri(uri) ?? throw new CrsException($"Not a CRS URI or URN: '{uri}'."));
    }

    /// <summary>WKT1 or WKT2.</summary>
    public CrsInfo FromWkt(string wkt)
    {
        ArgumentNullException.ThrowIfNull(wkt);
        return Cached("wkt:" + wkt, () =>
        {
            bool isWkt2 = IsWkt2(wkt);
            if (isWkt2 && WktReader.RootAuthority(wkt) is { } id && EpsgTable.TryGet(id, out var known))
            {
                // WKT2 with an EPSG id we know: the registry definition is authoritative (best-effort WKT2 policy).
                return FromCode(known.Code!);
            }

            var (def, authority) = WktReader.Read(wkt);
            return Recognize(def, authority, isWkt2 ? null : wkt);
        });
    }

    public CrsInfo FromProjJson(JsonNode projJson)
    {
        ArgumentNullException.ThrowIfNull(projJson);
        return Cached("projjson:" + projJson.ToJsonString(), () =>
        {
            if (ProjJsonReader.RootId(projJson) is { } id && EpsgTable.TryGet(id, out var known))
            {
                return FromCode(known.Code!);
            }

            var (def, authority) = ProjJsonReader.Read(projJson);
            return Recognize(def, authority, originalWkt1: null);
        });
    }

    /// <summary>CF grid-mapping variable attributes (<c>crs_wkt</c>, <c>spatial_ref</c>, <c>epsg_code</c>, or the CF parameters); null if none is usable.</summary>
    public CrsInfo? FromCfGridMapping(JsonObject attributes) => FromCfGridMapping(attributes, 1.0);

    /// <summary>
    /// As <see cref="FromCfGridMapping(JsonObject)"/>, with the unit of the projection coordinates (from the x/y
    /// variables' <c>units</c>) for CF parameters without a WKT: false easting/northing and the CRS unit follow it.
    /// Returns null when the attributes hold no CRS at all; throws <see cref="CrsException"/> when they hold one that
    /// cannot be used.
    /// </summary>
    public CrsInfo? FromCfGridMapping(JsonObject attributes, double metresPerUnit)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        CrsException? wktError = null;
        foreach (string key in (ReadOnlySpan<string>)["crs_wkt", "spatial_ref"])
        {
            if (CfGridMappingReader.Str(attributes, key) is { Length: > 0 } wkt)
            {
                try
                {
                    return FromWkt(wkt);
                }
                catch (CrsException e)
                {
                    wktError ??= e;
                }
            }
        }

        bool hasParameters = CfGridMappingReader.Str(attributes, "grid_mapping_name") is not null;
        if (attributes["epsg_code"] is JsonNode epsg)
        {
            string text = epsg.ToString().Trim();
            try
            {
                return FromCode(text.Contains(':', StringComparison.Ordinal) ? text : "EPSG:" + text);
            }
            catch (CrsException) when (hasParameters)
            {
                // A code outside the table: the CF parameters beside it still describe the CRS.
            }
        }

        if (!hasParameters)
        {
            if (wktError is not null)
            {
                throw wktError;
            }

            return null;
        }

        string key2 = "cf:" + metresPerUnit.ToString("R", CultureInfo.InvariantCulture) + ":" + attributes.ToJsonString();
        return Cached(key2, () => Recognize(CfGridMappingReader.Read(attributes, metresPerUnit), authority: null, originalWkt1: null));
    }

    /// <summary>Code, OGC URI/URN, WKT1/WKT2 or PROJJSON text (for configuration files).</summary>
    public CrsInfo FromAny(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t.StartsWith('{'))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(t, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new CrsException("CRS text looks like PROJJSON but is not valid JSON: " + e.Message, e);
            }

            return FromProjJson(node ?? throw new CrsException("Empty PROJJSON."));
        }

        if (t.Contains('[', StringComparison.Ordinal))
        {
            return FromWkt(t);
        }

        return CodeFromUri(t) is { } code ? FromCode(code) : FromCode(t);
    }

    public ICoordinateTransform CreateTransform(CrsInfo from, CrsInfo to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var key = (KeyOf(from), KeyOf(to));
        if (_transformCache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var created = Build(Resolve(from), Resolve(to));
        if (_transformCache.Count < MaxCachedEntries)
        {
            created = _transformCache.GetOrAdd(key, created);
        }

        return created;
    }

    /// <summary>A table code identifies a CRS fully; anything else (custom, or an authority code we cannot check) by its WKT.</summary>
    private static string KeyOf(CrsInfo crs) =>
        crs.Code is { } code && EpsgTable.TryGet(NormalizeCode(code), out _) ? NormalizeCode(code) : crs.Wkt;

    private CrsDefinition Resolve(CrsInfo crs)
    {
        if (crs.Definition is { } d)
        {
            return d;
        }

        var resolved = crs.Code is { } code && EpsgTable.TryGet(NormalizeCode(code), out _) ? FromCode(code) : FromWkt(crs.Wkt);
        return resolved.Definition!;
    }

    private static ICoordinateTransform Build(CrsDefinition from, CrsDefinition to)
    {
        if (ReferenceEquals(from, to) || (from.SameCoordinates(to) && from.Method != ProjectionMethod.ProjNetOther))
        {
            return new PipelineTransform(null, null, null);
        }

        HelmertShift? datum = from.SameDatumShift(to) ? null : new HelmertShift(from, to);
        return new PipelineTransform(ProjectionOf(from), datum, ProjectionOf(to));
    }

    private static IProjection? ProjectionOf(CrsDefinition d)
    {
        // Our own projections take Greenwich longitudes; a WKT central meridian is relative to the CRS's prime meridian.
        var p = d.Projection ?? new ProjectionParameters();
        p = p with { CentralMeridian = p.CentralMeridian + d.PrimeMeridian };
        return d.Method switch
        {
            ProjectionMethod.None => d.DegreesPerUnit == 1 && d.PrimeMeridian == 0 ? null : new GeographicUnits(d.DegreesPerUnit, d.PrimeMeridian),
            ProjectionMethod.WebMercator => new WebMercatorProjection(p.CentralMeridian, p.FalseEasting, p.FalseNorthing, d.LinearUnit),
            ProjectionMethod.Mercator => new MercatorProjection(d.Ellipsoid, p, d.LinearUnit),
            ProjectionMethod.TransverseMercator => new TransverseMercatorProjection(d.Ellipsoid, p, d.LinearUnit),
            ProjectionMethod.LambertConformalConic => new LambertConformalConicProjection(d.Ellipsoid, p, d.LinearUnit),
            ProjectionMethod.PolarStereographic => new PolarStereographicProjection(d.Ellipsoid, p, d.LinearUnit),
            ProjectionMethod.LambertAzimuthalEqualArea => new LambertAzimuthalEqualAreaProjection(d.Ellipsoid, p, d.LinearUnit),
            ProjectionMethod.AlbersEqualArea => new ProjNetProjection(d, Wkt1Writer.Write(d with { Code = null })),
            ProjectionMethod.RotatedPole => new RotatedPoleProjection(p.LatitudeOfOrigin, p.CentralMeridian, p.GridLongitudeOfPole),
            _ => new ProjNetProjection(d, d.SourceWkt1 ?? throw new CrsException($"No WKT1 for {d.Name}.")),
        };
    }

    /// <summary>
    /// Attaches a code: an authority code is kept when the definition matches the registry's entry for it (or the
    /// registry has no entry to compare with); without an authority, WGS84-based definitions are matched by parameters.
    /// </summary>
    private CrsInfo Recognize(CrsDefinition def, string? authority, string? originalWkt1)
    {
        if (authority is not null)
        {
            string code = NormalizeCodeOrSelf(authority);
            if (EpsgTable.TryGet(code, out var known))
            {
                // Writers without GDAL's PROJ4 extension label EPSG:3857 as plain Mercator_1SP; the code decides there.
                bool pseudoMercator = code == "EPSG:3857" && def.Method is ProjectionMethod.Mercator or ProjectionMethod.WebMercator;
                if (pseudoMercator || known.SameCoordinates(def))
                {
                    return FromCode(code);
                }

                authority = null;
            }
            else
            {
                authority = code;
            }
        }
        else if (EpsgTable.Identify(def) is { } identified)
        {
            return FromCode(identified.Code!);
        }

        var final = def with { Code = authority };

        // Built once here, so that a definition no projection can work with fails where it is read, not on the first tile.
        _ = ProjectionOf(final);
        string wkt = originalWkt1 ?? Wkt1Writer.Write(final);
        return ToInfo(final, wkt);
    }

    private static CrsInfo ToInfo(CrsDefinition d, string wkt) =>
        new(d.Code, wkt, d.IsGeographic, d.MetersPerUnit, d.NorthEast, d);

    /// <summary>
    /// Every CRS text is read here, once per text: the boundary of the WKT, PROJJSON and CF readers. Whatever the text
    /// holds, what leaves is a <see cref="CrsInfo"/> or a <see cref="CrsException"/>.
    /// </summary>
    private CrsInfo Cached(string key, Func<CrsInfo> create)
    {
        if (_crsCache.TryGetValue(key, out var hit))
        {
            return hit;
        }

        CrsInfo info;
        try
        {
            info = create();
        }
        catch (Exception e) when (e is not (TileServerException or OperationCanceledException or OutOfMemoryException))
        {
            throw new CrsException("The CRS cannot be read: " + e.Message, e);
        }

        return _crsCache.Count < MaxCachedEntries ? _crsCache.GetOrAdd(key, info) : info;
    }

    private static bool IsWkt2(string wkt)
    {
        var s = wkt.AsSpan().TrimStart();
        foreach (string k in (ReadOnlySpan<string>)["PROJCRS", "GEOGCRS", "GEODCRS", "BOUNDCRS", "COMPOUNDCRS", "PROJECTEDCRS", "GEOGRAPHICCRS", "GEODETICCRS"])
        {
            if (s.StartsWith(k, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"epsg:3857" → "EPSG:3857"; "4326" → "EPSG:4326"; "CRS:84", "OGC:CRS84", "CRS84" → "OGC:CRS84"; aliases of 3857.</summary>
    internal static string NormalizeCode(string code)
    {
        string c = code.Trim().ToUpperInvariant().Replace("::", ":", StringComparison.Ordinal);
        if (c is "CRS84" or "CRS:84" or "OGC:CRS84" or "OGC:1.3:CRS84")
        {
            return EpsgTable.Crs84;
        }

        if (int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            c = "EPSG:" + c;
        }

        return c switch
        {
            "EPSG:900913" or "EPSG:3785" or "EPSG:102100" or "EPSG:102113" or "ESRI:102100" or "ESRI:102113" => "EPSG:3857",
            _ => c,
        };
    }

    private static string NormalizeCodeOrSelf(string code) => NormalizeCode(code);

    /// <summary>Code from an OGC http URI or URN; null when the text is neither.</summary>
    internal static string? CodeFromUri(string uri)
    {
        string u = uri.Trim();
        if (u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || u.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // http://www.opengis.net/def/crs/{authority}/{version}/{code}
            var parts = u.Split('/', StringSplitOptions.RemoveEmptyEntries);
            int crs = Array.FindIndex(parts, p => p.Equals("crs", StringComparison.OrdinalIgnoreCase));
            if (crs < 0 || parts.Length < crs + 4)
            {
                return null;
            }

            return NormalizeCode(parts[crs + 1] + ":" + parts[crs + 3]);
        }

        if (u.StartsWith("urn:ogc:def:crs:", StringComparison.OrdinalIgnoreCase))
        {
            // urn:ogc:def:crs:{authority}:{version?}:{code}
            var parts = u["urn:ogc:def:crs:".Length..].Split(':');
            return parts.Length >= 2 ? NormalizeCode(parts[0] + ":" + parts[^1]) : null;
        }

        return null;
    }
}
