using System.Collections.Frozen;

namespace TileServer.Crs;

/// <summary>
/// The EPSG definitions this server knows by code (the ones users meet in practice). Parameters are copied from the
/// EPSG registry; UTM zones are generated. Immutable, built once.
/// </summary>
internal static class EpsgTable
{
    public const string Crs84 = "OGC:CRS84";

    private static readonly double[] ZeroShift = [0, 0, 0, 0, 0, 0, 0];

    private static readonly FrozenDictionary<string, CrsDefinition> Definitions = Build();

    /// <summary>Codes that may be identified from parameters alone (no AUTHORITY/ID): their ellipsoid pins the datum.</summary>
    private static readonly CrsDefinition[] IdentifiableWithoutAuthority = Definitions.Values
        .Where(d => d.Ellipsoid.SameShape(Ellipsoid.Wgs84) && d.Code != Crs84)
        .OrderBy(d => d.Code == "EPSG:4326" ? 0 : 1)
        .ToArray();

    public static IEnumerable<string> Codes => Definitions.Keys;

    public static bool TryGet(string normalizedCode, out CrsDefinition definition) =>
        Definitions.TryGetValue(normalizedCode, out definition!);

    /// <summary>The table entry with the same coordinates as <paramref name="definition"/>, if any.</summary>
    public static CrsDefinition? Identify(CrsDefinition definition)
    {
        foreach (var d in IdentifiableWithoutAuthority)
        {
            if (d.SameCoordinates(definition))
            {
                return d;
            }
        }

        return null;
    }

    private static FrozenDictionary<string, CrsDefinition> Build()
    {
        var list = new List<CrsDefinition>
        {
            Geographic("EPSG:4326", "WGS 84", "WGS_1984", Ellipsoid.Wgs84, northEast: true),
            Geographic(Crs84, "WGS 84 (CRS84)", "WGS_1984", Ellipsoid.Wgs84, northEast: false),
            Geographic("EPSG:4269", "NAD83", "North_American_Datum_1983", Ellipsoid.Grs80, northEast: true),
            Geographic("EPSG:4258", "ETRS89", "European_Terrestrial_Reference_System_1989", Ellipsoid.Grs80, northEast: true),
            Geographic("EPSG:4674", "SIRGAS 2000", "Sistema_de_Referencia_Geocentrico_para_las_AmericaS_2000", Ellipsoid.Grs80, northEast: true),
            Projected("EPSG:3857", "WGS 84 / Pseudo-Mercator", "WGS_1984", Ellipsoid.Wgs84, ProjectionMethod.WebMercator, new()),
            Projected("EPSG:3395", "WGS 84 / World Mercator", "WGS_1984", Ellipsoid.Wgs84, ProjectionMethod.Mercator, new()),
            Projected("EPSG:3035", "ETRS89-extended / LAEA Europe", "European_Terrestrial_Reference_System_1989", Ellipsoid.Grs80,
                ProjectionMethod.LambertAzimuthalEqualArea, new(LatitudeOfOrigin: 52, CentralMeridian: 10, FalseEasting: 4321000, FalseNorthing: 3210000), northEast: true),
            Projected("EPSG:3031", "WGS 84 / Antarctic Polar Stereographic", "WGS_1984", Ellipsoid.Wgs84,
                ProjectionMethod.PolarStereographic, new(LatitudeOfOrigin: -90, StandardParallel1: -71)),
            Projected("EPSG:3413", "WGS 84 / NSIDC Sea Ice Polar Stereographic North", "WGS_1984", Ellipsoid.Wgs84,
                ProjectionMethod.PolarStereographic, new(LatitudeOfOrigin: 90, CentralMeridian: -45, StandardParallel1: 70)),
            // Universal Polar Stereographic (E,N axis variants used by the OGC UPS TileMatrixSets): variant A, k0 at the pole.
            Projected("EPSG:5041", "WGS 84 / UPS North (E,N)", "WGS_1984", Ellipsoid.Wgs84,
                ProjectionMethod.PolarStereographic, new(LatitudeOfOrigin: 90, ScaleFactor: 0.994, FalseEasting: 2000000, FalseNorthing: 2000000)),
            Projected("EPSG:5042", "WGS 84 / UPS South (E,N)", "WGS_1984", Ellipsoid.Wgs84,
                ProjectionMethod.PolarStereographic, new(LatitudeOfOrigin: -90, ScaleFactor: 0.994, FalseEasting: 2000000, FalseNorthing: 2000000)),
            Projected("EPSG:3978", "NAD83 / Canada Atlas Lambert", "North_American_Datum_1983", Ellipsoid.Grs80,
                ProjectionMethod.LambertConformalConic,
                new(LatitudeOfOrigin: 49, CentralMeridian: -95, StandardParallel1: 49, StandardParallel2: 77)),
            Projected("EPSG:2154", "RGF93 v1 / Lambert-93", "Reseau_Geodesique_Francais_1993", Ellipsoid.Grs80,
                ProjectionMethod.LambertConformalConic,
                new(LatitudeOfOrigin: 46.5, CentralMeridian: 3, StandardParallel1: 49, StandardParallel2: 44, FalseEasting: 700000, FalseNorthing: 6600000)),
            Projected("EPSG:27700", "OSGB36 / British National Grid", "OSGB_1936", Ellipsoid.Airy1830,
                ProjectionMethod.TransverseMercator,
                new(LatitudeOfOrigin: 49, CentralMeridian: -2, ScaleFactor: 0.9996012717, FalseEasting: 400000, FalseNorthing: -100000),
                toWgs84: [446.448, -125.157, 542.06, 0.15, 0.247, 0.842, -20.489]),
            Projected("EPSG:5070", "NAD83 / Conus Albers", "North_American_Datum_1983", Ellipsoid.Grs80,
                ProjectionMethod.AlbersEqualArea,
                new(LatitudeOfOrigin: 23, CentralMeridian: -96, StandardParallel1: 29.5, StandardParallel2: 45.5)),
            Projected("EPSG:31985", "SIRGAS 2000 / UTM zone 25S", "Sistema_de_Referencia_Geocentrico_para_las_AmericaS_2000", Ellipsoid.Grs80,
                ProjectionMethod.TransverseMercator, Utm(25, south: true)),
        };

        for (int zone = 1; zone <= 60; zone++)
        {
            list.Add(Projected($"EPSG:{32600 + zone}", $"WGS 84 / UTM zone {zone}N", "WGS_1984", Ellipsoid.Wgs84, ProjectionMethod.TransverseMercator, Utm(zone, south: false)));
            list.Add(Projected($"EPSG:{32700 + zone}", $"WGS 84 / UTM zone {zone}S", "WGS_1984", Ellipsoid.Wgs84, ProjectionMethod.TransverseMercator, Utm(zone, south: true)));
        }

        return list.ToFrozenDictionary(d => d.Code!, StringComparer.Ordinal);
    }

    private static ProjectionParameters Utm(int zone, bool south) =>
        new(CentralMeridian: (zone * 6) - 183, ScaleFactor: 0.9996, FalseEasting: 500000, FalseNorthing: south ? 10000000 : 0);

    private static CrsDefinition Geographic(string code, string name, string datum, Ellipsoid ellipsoid, bool northEast) => new()
    {
        Code = code,
        Name = name,
        DatumName = datum,
        Ellipsoid = ellipsoid,
        ToWgs84 = ZeroShift,
        NorthEast = northEast,
    };

    private static CrsDefinition Projected(
        string code, string name, string datum, Ellipsoid ellipsoid, ProjectionMethod method, ProjectionParameters parameters,
        bool northEast = false, double[]? toWgs84 = null) =>
        Geographic(code, name, datum, ellipsoid, northEast) with { ToWgs84 = toWgs84 ?? ZeroShift, Method = method, Projection = parameters };
}
