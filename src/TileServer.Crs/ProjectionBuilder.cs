namespace TileServer.Crs;

/// <summary>
/// Collects a projection method and its parameters from any dialect (WKT1/GDAL, WKT1/ESRI, WKT2, PROJJSON, CF) and
/// decides which <see cref="ProjectionMethod"/> they describe. Names are compared without case, spaces or punctuation;
/// EPSG method/parameter ids win over names when present.
/// </summary>
internal sealed class ProjectionBuilder
{
    private readonly string _methodName;
    private readonly int _methodId;
    private double _lat0 = double.NaN;
    private double _lon0 = double.NaN;
    private double _k0 = double.NaN;
    private double _sp1 = double.NaN;
    private double _sp2 = double.NaN;
    private double _fe;
    private double _fn;

    public ProjectionBuilder(string methodName, int methodEpsgId = 0)
    {
        _methodName = methodName;
        _methodId = methodEpsgId;
    }

    public static string Normalize(string name)
    {
        Span<char> buf = stackalloc char[Math.Min(name.Length, 256)];
        int n = 0;
        foreach (char c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) && n < buf.Length)
            {
                buf[n++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buf[..n]);
    }

    /// <summary>Adds a parameter; angles in degrees, lengths in metres. Returns false for a parameter it does not know.</summary>
    public bool Add(string name, double value, int epsgId = 0)
    {
        switch (epsgId)
        {
            case 8801 or 8821 or 8811: _lat0 = value; return true;
            case 8802 or 8822 or 8812 or 8833: _lon0 = value; return true;
            case 8805 or 8815: _k0 = value; return true;
            case 8823 or 8832: _sp1 = value; return true;
            case 8824: _sp2 = value; return true;
            case 8806 or 8826 or 8816: _fe = value; return true;
            case 8807 or 8827 or 8817: _fn = value; return true;
        }

        switch (Normalize(name))
        {
            case "latitudeoforigin" or "latitudeofnaturalorigin" or "latitudeoffalseorigin" or "latitudeofcenter" or "latitudeofcentre"
                or "latitudeofprojectioncentre" or "latitudeofprojectioncenter" or "latitudeofprojectionorigin":
                _lat0 = value;
                return true;
            case "centralmeridian" or "longitudeofnaturalorigin" or "longitudeoffalseorigin" or "longitudeofcenter" or "longitudeofcentre"
                or "longitudeofprojectioncentre" or "longitudeofprojectioncenter" or "longitudeoforigin" or "longitudeofcentralmeridian"
                or "longitudeofprojectionorigin" or "straightverticallongitudefrompole":
                _lon0 = value;
                return true;
            case "scalefactor" or "scalefactoratnaturalorigin" or "scalefactoratcentralmeridian" or "scalefactoratprojectionorigin":
                _k0 = value;
                return true;
            case "standardparallel1" or "latitudeof1ststandardparallel" or "latitudeofstandardparallel" or "standardparallel" or "latitudeoftruescale":
                _sp1 = value;
                return true;
            case "standardparallel2" or "latitudeof2ndstandardparallel":
                _sp2 = value;
                return true;
            case "falseeasting" or "eastingatfalseorigin" or "eastingatprojectioncentre":
                _fe = value;
                return true;
            case "falsenorthing" or "northingatfalseorigin" or "northingatprojectioncentre":
                _fn = value;
                return true;
            case "auxiliaryspheretype":
                // ESRI's Mercator_Auxiliary_Sphere: type 0 is the WGS84 semi-major sphere (= EPSG:3857).
                return value == 0;
            default:
                return false;
        }
    }

    /// <summary>The method, or null when it is not one of ours (the caller may still hand a WKT1 to ProjNet).</summary>
    public (ProjectionMethod Method, ProjectionParameters Parameters)? Build()
    {
        string n = Normalize(_methodName);
        double lat0 = Or(_lat0, 0), lon0 = Or(_lon0, 0), k0 = Or(_k0, 1);
        switch (_methodId, n)
        {
            case (1024, _) or (3856, _) or (_, "popularvisualisationpseudomercator" or "pseudomercator" or "googlemercator" or "webmercator"):
                return (ProjectionMethod.WebMercator, new(0, lon0, 1, double.NaN, double.NaN, _fe, _fn));
            case (_, "mercatorauxiliarysphere"):
                return (ProjectionMethod.WebMercator, new(0, lon0, 1, double.NaN, double.NaN, _fe, _fn));
            case (9804, _) or (9805, _) or (_, "mercator1sp" or "mercatorvarianta" or "mercator2sp" or "mercatorvariantb" or "mercator"):
                // 2SP carries a latitude of true scale; 1SP a scale factor. ESRI writes standard_parallel_1 = 0 with 1SP meaning.
                return double.IsNaN(_sp1) || (_sp1 == 0 && n != "mercator2sp" && _methodId != 9805)
                    ? (ProjectionMethod.Mercator, new(0, lon0, k0, double.NaN, double.NaN, _fe, _fn))
                    : (ProjectionMethod.Mercator, new(0, lon0, 1, _sp1, double.NaN, _fe, _fn));
            case (9807, _) or (_, "transversemercator" or "gausskruger"):
                return (ProjectionMethod.TransverseMercator, new(lat0, lon0, k0, double.NaN, double.NaN, _fe, _fn));
            case (9801, _) or (_, "lambertconformalconic1sp" or "lambertconicconformal1sp"):
                return (ProjectionMethod.LambertConformalConic, new(lat0, lon0, k0, double.NaN, double.NaN, _fe, _fn));
            case (9802, _) or (_, "lambertconformalconic2sp" or "lambertconicconformal2sp" or "lambertconformalconic"):
                if (double.IsNaN(_sp1))
                {
                    return (ProjectionMethod.LambertConformalConic, new(lat0, lon0, k0, double.NaN, double.NaN, _fe, _fn));
                }

                if (!double.IsNaN(_k0) && _k0 != 1)
                {
                    // ESRI writes LCC 1SP as "Lambert_Conformal_Conic" with both parallels at the origin and a scale factor.
                    bool tangentAtOrigin = Math.Abs(_sp1 - lat0) < 1e-12 && (double.IsNaN(_sp2) || Math.Abs(_sp2 - lat0) < 1e-12);
                    return tangentAtOrigin ? (ProjectionMethod.LambertConformalConic, new(lat0, lon0, _k0, double.NaN, double.NaN, _fe, _fn)) : null;
                }

                return (ProjectionMethod.LambertConformalConic, new(Or(_lat0, _sp1), lon0, 1, _sp1, Or(_sp2, _sp1), _fe, _fn));
            case (9810, _) or (9829, _) or (_, "polarstereographic" or "polarstereographicvarianta" or "polarstereographicvariantb"
                or "stereographicnorthpole" or "stereographicsouthpole"):
                return PolarStereographic(n, lon0);
            case (9822, _) or (_, "albersconicequalarea" or "albers" or "albersequalarea" or "albersconical"):
                return (ProjectionMethod.AlbersEqualArea, new(lat0, lon0, 1, _sp1, Or(_sp2, _sp1), _fe, _fn));
            case (9820, _) or (_, "lambertazimuthalequalarea"):
                return (ProjectionMethod.LambertAzimuthalEqualArea, new(lat0, lon0, 1, double.NaN, double.NaN, _fe, _fn));
            default:
                return null;
        }
    }

    private (ProjectionMethod, ProjectionParameters)? PolarStereographic(string n, double lon0)
    {
        // Variant A: origin at the pole with a scale factor. Variant B: latitude of true scale. GDAL's WKT1 writes the
        // true-scale latitude as latitude_of_origin; ESRI's "Stereographic_North_Pole" uses standard_parallel_1.
        double latTs = _sp1;
        if (double.IsNaN(latTs) && !double.IsNaN(_lat0) && Math.Abs(Math.Abs(_lat0) - 90) > 1e-9)
        {
            latTs = _lat0;
        }

        if (!double.IsNaN(latTs))
        {
            double pole = n == "stereographicsouthpole" || latTs < 0 ? -90 : 90;
            return (ProjectionMethod.PolarStereographic, new(pole, lon0, 1, latTs, double.NaN, _fe, _fn));
        }

        if (double.IsNaN(_lat0))
        {
            return null;
        }

        return (ProjectionMethod.PolarStereographic, new(_lat0 < 0 ? -90 : 90, lon0, Or(_k0, 1), double.NaN, double.NaN, _fe, _fn));
    }

    private static double Or(double v, double fallback) => double.IsNaN(v) ? fallback : v;
}
