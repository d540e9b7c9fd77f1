using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace TileServer.Crs.Projections;

/// <summary>A projection ProjNet computes (Albers, LAEA and the WKT1-only methods).</summary>
internal sealed class ProjNetProjection : IProjection
{
    private readonly MathTransform _forward;
    private readonly MathTransform _inverse;
    private readonly GeographicUnits? _units;

    public ProjNetProjection(CrsDefinition definition, string wkt1)
    {
        var cs = ProjNetAdapter.Parse(wkt1) as ProjectedCoordinateSystem
            ?? throw new CrsException($"WKT of {definition.Name} is not a projected CRS.");
        _forward = ProjNetAdapter.Create(cs.GeographicCoordinateSystem, cs);
        _inverse = ProjNetAdapter.Create(cs, cs.GeographicCoordinateSystem);
        if (definition.PrimeMeridian != 0 || definition.DegreesPerUnit != 1)
        {
            // ProjNet's geographic side is in the CRS's own unit and prime meridian; the pipeline speaks Greenwich degrees.
            _units = new GeographicUnits(definition.DegreesPerUnit, definition.PrimeMeridian);
        }
    }

    public void Forward(Span<double> x, Span<double> y)
    {
        _units?.Forward(x, y);
        ProjNetAdapter.Run(_forward, x, y);
    }

    public void Inverse(Span<double> x, Span<double> y)
    {
        ProjNetAdapter.Run(_inverse, x, y);
        _units?.Inverse(x, y);
    }
}
