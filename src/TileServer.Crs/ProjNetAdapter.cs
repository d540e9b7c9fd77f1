using System.Buffers;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace TileServer.Crs;

/// <summary>
/// Runs ProjNet math transforms on spans: one batched call, and only when ProjNet throws (it reports a bad point by
/// exception) a per-point retry that turns the failing points into NaN. ProjNet's transforms hold no per-call state,
/// so one instance serves all threads.
/// </summary>
internal static class ProjNetAdapter
{
    private static readonly HashSet<string> ProjNetOnlyMethods =
    [
        "krovak", "cassinisoldner", "hotineobliquemercator", "hotineobliquemercatorazimuthcenter", "obliquemercator",
        "obliquestereographic", "polyconic", "orthographic",
    ];

    public static bool KnowsProjection(string wkt1Name) => ProjNetOnlyMethods.Contains(ProjectionBuilder.Normalize(wkt1Name));

    public static CoordinateSystem Parse(string wkt1)
    {
        try
        {
            return new CoordinateSystemFactory().CreateFromWkt(wkt1)
                ?? throw new CrsException("ProjNet could not read the WKT.");
        }
        catch (Exception e) when (e is not CrsException)
        {
            throw new CrsException("ProjNet could not read the WKT: " + e.Message, e);
        }
    }

    public static MathTransform Create(CoordinateSystem from, CoordinateSystem to)
    {
        try
        {
            var t = new CoordinateTransformationFactory().CreateFromCoordinateSystems(from, to);
            return t.MathTransform;
        }
        catch (Exception e) when (e is not CrsException)
        {
            throw new CrsException($"ProjNet cannot transform from {from.Name} to {to.Name}: {e.Message}", e);
        }
    }

    public static void Run(MathTransform transform, Span<double> x, Span<double> y)
    {
        int n = x.Length;
        if (n == 0)
        {
            return;
        }

        double[] backup = ArrayPool<double>.Shared.Rent(2 * n);
        try
        {
            x.CopyTo(backup);
            y.CopyTo(backup.AsSpan(n));
            try
            {
                transform.Transform(x, y, 1, 1);
            }
            catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException)
            {
                backup.AsSpan(0, n).CopyTo(x);
                backup.AsSpan(n, n).CopyTo(y);
                for (int i = 0; i < n; i++)
                {
                    double px = x[i], py = y[i];
                    try
                    {
                        transform.Transform(ref px, ref py);
                    }
                    catch (Exception pe) when (pe is ArgumentException or ArithmeticException or InvalidOperationException)
                    {
                        px = py = double.NaN;
                    }

                    x[i] = px;
                    y[i] = py;
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(backup);
        }

        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
            {
                x[i] = double.NaN;
                y[i] = double.NaN;
            }
        }
    }
}

/// <summary>Helmert datum shift between two geographic CRSs (TOWGS84 parameters), computed by ProjNet, degrees on Greenwich.</summary>
internal sealed class HelmertShift
{
    private readonly MathTransform _transform;

    public HelmertShift(CrsDefinition from, CrsDefinition to)
    {
        var a = ProjNetAdapter.Parse(Wkt1Writer.WriteGeographicPart(Plain(from), forceShift: true));
        var b = ProjNetAdapter.Parse(Wkt1Writer.WriteGeographicPart(Plain(to), forceShift: true));
        _transform = ProjNetAdapter.Create(a, b);
    }

    public void Apply(Span<double> x, Span<double> y) => ProjNetAdapter.Run(_transform, x, y);

    private static CrsDefinition Plain(CrsDefinition d) => d with
    {
        Method = ProjectionMethod.None,
        Projection = null,
        PrimeMeridian = 0,
        DegreesPerUnit = 1,
        Code = null,
        Name = d.DatumName,
    };
}
