using System.Globalization;
using TileServer.Crs;

namespace TileServer.Documents.Wms;

/// <summary>
/// CRS identifiers and axis order as WMS 1.3.0 has them: <c>CRS:84</c> is longitude, latitude; <c>EPSG:4326</c> (and
/// every CRS whose EPSG definition puts northing first, such as EPSG:3035) is latitude/northing first, in BBOX and in
/// BoundingBox alike. Inside the server extents stay in GIS order (x = easting/longitude).
/// </summary>
public sealed class WmsCrs
{
    public const string Crs84 = "CRS:84";

    private static readonly string[] First = [Crs84, "EPSG:4326", "EPSG:3857"];

    private readonly CrsRegistry _registry;

    public WmsCrs(CrsRegistry registry)
    {
        _registry = registry;
        Advertised = [.. First, .. registry.KnownCodes.Where(c => c.StartsWith("EPSG:", StringComparison.Ordinal) && !First.Contains(c)).OrderBy(EpsgNumber)];
    }

    /// <summary>Every CRS a GetMap may use, as the root layer lists them: CRS:84, EPSG:4326, EPSG:3857, then the other known codes.</summary>
    public IReadOnlyList<string> Advertised { get; }

    /// <summary>The WMS identifier of a CRS (<c>CRS:84</c> for OGC:CRS84, else its code); null for a CRS known only by its WKT.</summary>
    public static string? Identifier(CrsInfo crs) => crs.Code switch
    {
        null => null,
        "OGC:CRS84" => Crs84,
        var code => code,
    };

    /// <summary>
    /// The CRS a request names (a code as listed, an OGC URN or URI), or the data's own CRS when it carries a code the
    /// server's table does not hold; <c>InvalidCRS</c> otherwise.
    /// </summary>
    public CrsInfo Resolve(string text, string parameter, CrsInfo? native)
    {
        string t = text.Trim();
        if (native?.Code is { } nativeCode && (nativeCode.Equals(t, StringComparison.OrdinalIgnoreCase) || Identifier(native)!.Equals(t, StringComparison.OrdinalIgnoreCase)))
        {
            return native;
        }

        try
        {
            if (t.Length <= 200 && !t.Contains('[', StringComparison.Ordinal))
            {
                return t.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) || t.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? _registry.FromUri(t) : _registry.FromCode(t);
            }
        }
        catch (CrsException)
        {
            // Reported below with the list the client should pick from.
        }

        throw new WmsException("InvalidCRS", parameter, $"{parameter} '{Shorten(t)}' is not a CRS this server knows; use one the capabilities list (CRS:84, EPSG:4326, EPSG:3857, EPSG:326xx/327xx, ...).");
    }

    /// <summary>True when WMS writes the CRS's coordinates northing (latitude) first.</summary>
    public static bool NorthingFirst(CrsInfo crs) => crs.AuthorityAxisOrderIsNorthEast;

    /// <summary>A BBOX value (<c>a,b,c,d</c> in the CRS's axis order) as an extent in GIS order; min must be below max on both axes.</summary>
    public static Extent ParseBox(string text, CrsInfo crs, string parameter = "BBOX")
    {
        var parts = text.Split(',');
        var v = new double[4];
        if (parts.Length != 4 || parts.Select((p, i) => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) && double.IsFinite(v[i])).Any(ok => !ok))
        {
            throw WmsException.Invalid(parameter, $"{parameter} must be four finite numbers minx,miny,maxx,maxy in the CRS's axis order, not '{Shorten(text)}'.");
        }

        if (!(v[0] < v[2]) || !(v[1] < v[3]))
        {
            throw WmsException.Invalid(parameter, $"{parameter} '{Shorten(text)}' is empty or inverted: each minimum must be below its maximum.");
        }

        return NorthingFirst(crs) ? new Extent(v[1], v[0], v[3], v[2]) : new Extent(v[0], v[1], v[2], v[3]);
    }

    /// <summary>An extent (GIS order) as WMS writes it for the CRS: (minx, miny, maxx, maxy) in the CRS's axis order.</summary>
    public static (double MinX, double MinY, double MaxX, double MaxY) InAxisOrder(Extent e, CrsInfo crs)
        => NorthingFirst(crs) ? (e.MinY, e.MinX, e.MaxY, e.MaxX) : (e.MinX, e.MinY, e.MaxX, e.MaxY);

    /// <summary>
    /// Longitude and latitude (WGS 84) of the centre of pixel column <paramref name="i"/>, row <paramref name="j"/>
    /// (0 = top) of a <paramref name="width"/> × <paramref name="height"/> image covering <paramref name="bounds"/>
    /// (GIS order) in <paramref name="crs"/>; null where the projection has no inverse. Longitude within [-180, 180).
    /// </summary>
    public (double Lon, double Lat)? PixelCentre(CrsInfo crs, Extent bounds, int width, int height, int i, int j)
    {
        Span<double> xs = [bounds.MinX + ((i + 0.5) * bounds.Width / width)];
        Span<double> ys = [bounds.MaxY - ((j + 0.5) * bounds.Height / height)];
        _registry.CreateTransform(crs, _registry.FromCode("EPSG:4326")).Transform(xs, ys);
        if (!double.IsFinite(xs[0]) || !double.IsFinite(ys[0]) || Math.Abs(ys[0]) > 90)
        {
            return null;
        }

        double lon = xs[0] is >= -180 and < 180 ? xs[0] : ((((xs[0] + 180) % 360) + 360) % 360) - 180;
        return (lon, ys[0]);
    }

    private static int EpsgNumber(string code) => int.TryParse(code.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : int.MaxValue;

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
