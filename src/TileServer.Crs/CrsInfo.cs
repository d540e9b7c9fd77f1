namespace TileServer.Crs;

/// <summary>
/// A coordinate reference system as the server needs it. Coordinates handed to transforms are always in
/// "GIS order": x = easting/longitude, y = northing/latitude, whatever the authority's axis order.
/// </summary>
public sealed class CrsInfo
{
    public CrsInfo(string? code, string wkt, bool isGeographic, double metersPerUnit, bool authorityAxisOrderIsNorthEast, object? native = null)
    {
        Code = code;
        Wkt = wkt;
        IsGeographic = isGeographic;
        MetersPerUnit = metersPerUnit;
        AuthorityAxisOrderIsNorthEast = authorityAxisOrderIsNorthEast;
        Native = native;
    }

    /// <summary>"EPSG:4326", "OGC:CRS84", … or null for a CRS known only by its WKT.</summary>
    public string? Code { get; }

    /// <summary>WKT (WKT1 where it could be produced) for display and clients.</summary>
    public string Wkt { get; }

    public bool IsGeographic { get; }

    /// <summary>Metres per CRS unit (1 for metres, 1000 for km, ~111319.49 for degrees at the equator).</summary>
    public double MetersPerUnit { get; }

    /// <summary>True when the authority defines the first axis as northing/latitude (EPSG:4326, EPSG:3035…).</summary>
    public bool AuthorityAxisOrderIsNorthEast { get; }

    /// <summary>The registry's own description of this CRS; opaque to callers.</summary>
    public object? Native { get; }

    /// <summary>What the registry parsed; null for a <see cref="CrsInfo"/> built by hand (resolved from Code/Wkt on use).</summary>
    internal CrsDefinition? Definition => Native as CrsDefinition;

    /// <summary>OGC CRS URI, e.g. <c>http://www.opengis.net/def/crs/EPSG/0/3857</c>; null without a code.</summary>
    public string? Uri => Code switch
    {
        null => null,
        "OGC:CRS84" => "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        _ when Code.StartsWith("EPSG:", StringComparison.Ordinal) => "http://www.opengis.net/def/crs/EPSG/0/" + Code[5..],
        _ => null,
    };

    public override string ToString() => Code ?? "custom CRS";
}
